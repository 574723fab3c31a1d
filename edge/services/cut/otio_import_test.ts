import assert from "node:assert/strict";
import { type Cut, layoutVideo, MAX_CUT_CLIPS, type VideoClip } from "../../../protocol/cut.ts";
import { ApiError } from "../../errors.ts";
import { mediaIndex } from "./media.ts";
import { exportOtio, serializeOtio } from "./otio_export.ts";
import { importOtio } from "./otio_import.ts";
import { MAX_OTIO_BYTES } from "./otio_parse.ts";
import {
  counterIds,
  cutAudioFrames,
  cutPictureFrames,
  goldenCut,
  knownTakes,
  prng,
  randomCut,
  takeMedia,
  withoutOurMetadata,
} from "./testing.ts";

function roundTrip(cut: Cut, media: ReturnType<typeof goldenCut>["media"], relative = false) {
  const text = serializeOtio(exportOtio(cut, media, { relative }));
  return importOtio(text, { cut, lookup: mediaIndex(knownTakes(media)), newId: counterIds() });
}

/** An exported timeline as plain JSON, for tests to break in the ways files from elsewhere do. */
// deno-lint-ignore no-explicit-any
type Editable = any;

/** The ApiError `run` throws, for asserting on status, path and message. */
function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  assert.fail("expected the import to be refused");
}

Deno.test("export then import gives the same cut: odd and even transitions, a gap, two audio tracks", () => {
  const { cut, media } = goldenCut();
  for (const relative of [false, true]) {
    const result = roundTrip(cut, media, relative);
    assert.deepEqual(result.cut, cut);
    assert.deepEqual(result.unknown, []);
    assert.deepEqual(result.notes, []);
    // Matched takes are reported, for the route to select them if they are not selected yet.
    assert.equal(result.takes["clip-a"], "take-of-node-a");
    assert.equal(result.takes["clip-v2"], "take-of-node-voice2");
  }
});

Deno.test("export then import gives the same cut, for 300 random sound cuts", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { cut, media } = randomCut(prng(seed));
    assert.deepEqual(roundTrip(cut, media, seed % 2 === 0).cut, cut, `seed ${seed}`);
  }
});

Deno.test("a file that lost our metadata still plays the same frames; ids and positions are made anew", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const { cut, media } = randomCut(prng(seed));
    const text = withoutOurMetadata(serializeOtio(exportOtio(cut, media)));
    const { cut: imported } = importOtio(text, {
      cut,
      lookup: mediaIndex(knownTakes(media)),
      newId: counterIds(),
    });
    const context = `seed ${seed}`;
    assert.deepEqual(cutPictureFrames(imported, media), cutPictureFrames(cut, media), context);
    // Gains live only in our metadata (OTIO has no standard gain); sound is in the same places.
    assert.deepEqual(
      cutAudioFrames(imported, media, false),
      cutAudioFrames(cut, media, false),
      context,
    );
    // Transition kinds survive in the transitions' names.
    const kinds = (c: Cut) =>
      layoutVideo(c).clips.map((p) => p.overlapOut ? p.clip.transition!.kind : null);
    assert.deepEqual(kinds(imported), kinds(cut), context);
    for (const clip of Object.values(imported.clips)) assert.match(clip.id, /^new-\d+$/, context);
  }
});

Deno.test("clips of media the project does not have become gaps of their length, named in the answer", () => {
  const { cut, media } = goldenCut();
  const text = serializeOtio(exportOtio(cut, media));
  const lookup = mediaIndex(knownTakes(media).filter((t) => t.nodeId !== "node-b"));
  const { cut: imported, unknown } = importOtio(text, { cut, lookup, newId: counterIds() });
  assert.deepEqual(unknown, [{
    clipId: "clip-b",
    name: "SHOT-020_v01_take01.mp4",
    targetUrl: media.get("node-b")!.url,
  }]);
  const b = imported.clips["clip-b"] as VideoClip;
  assert.equal(b.nodeId, "new-1");
  // Same length and trims, so the rest of the film does not move.
  assert.deepEqual([b.in, b.out, b.transition], [0, 72, null]);
  assert.equal(layoutVideo(imported).duration, layoutVideo(cut).duration);
});

Deno.test("a timeline from another tool: any transition split, other rates, bare gaps, Clip.1", () => {
  // A CMX-style dissolve (all 10 frames after the cut), at 48 fps, into a 24 fps cut; a bare gap
  // of 1 s; a Clip.1 with a file path under the exported folder tree.
  const { cut, media } = goldenCut();
  const rt = (value: number) => ({ OTIO_SCHEMA: "RationalTime.1", rate: 48, value });
  const range = (start: number, duration: number) => ({
    OTIO_SCHEMA: "TimeRange.1",
    start_time: rt(start),
    duration: rt(duration),
  });
  const a = media.get("node-a")!, b = media.get("node-b")!;
  const timeline = {
    OTIO_SCHEMA: "Timeline.1",
    name: "From Resolve",
    tracks: {
      OTIO_SCHEMA: "Stack.1",
      children: [{
        OTIO_SCHEMA: "Track.1",
        kind: "Video",
        children: [
          {
            OTIO_SCHEMA: "Clip.2",
            name: "A",
            source_range: range(20, 60),
            media_references: {
              DEFAULT_MEDIA: { OTIO_SCHEMA: "ExternalReference.1", target_url: a.url },
            },
            active_media_reference_key: "DEFAULT_MEDIA",
          },
          {
            OTIO_SCHEMA: "Transition.1",
            name: "Cross Dissolve",
            transition_type: "SMPTE_Dissolve",
            in_offset: rt(0),
            out_offset: rt(20),
          },
          {
            OTIO_SCHEMA: "Clip.1",
            name: "B",
            source_range: range(0, 96),
            media_reference: {
              OTIO_SCHEMA: "ExternalReference.1",
              target_url: `file:///Volumes/Edit/film/${b.relativePath}`,
            },
          },
          { OTIO_SCHEMA: "Gap.1", source_range: range(0, 48) },
        ],
      }],
    },
  };
  const { cut: imported, unknown } = importOtio(JSON.stringify(timeline), {
    cut,
    lookup: mediaIndex(knownTakes(media)),
    newId: counterIds(),
  });
  assert.deepEqual(unknown, []);
  const clips = layoutVideo(imported).clips.map((p) => ({
    node: p.clip.nodeId,
    in: p.clip.in,
    out: p.clip.out,
    transition: p.clip.transition,
    recordIn: p.recordIn,
  }));
  assert.deepEqual(clips, [
    // 60 frames at 48 = 30 at 24, from 10, plus the 10 frames the dissolve reads past its end.
    { node: "node-a", in: 10, out: 50, transition: { kind: "dissolve", frames: 10 }, recordIn: 0 },
    { node: "node-b", in: 0, out: 48, transition: null, recordIn: 30 },
    { node: "new-4", in: 0, out: 24, transition: null, recordIn: 78 },
  ]);
  assert.deepEqual(Object.values(imported.audioTracks), []);
  assert.equal(imported.name, "Main", "the cut keeps its own name");
});

Deno.test("a trailing transition or an empty extra picture track is left out and noted", () => {
  const { cut, media } = goldenCut();
  const timeline = exportOtio(cut, media);
  const picture = timeline.tracks.children[0]!;
  picture.children.push({ ...picture.children[1]! });
  timeline.tracks.children.push({ ...picture, children: [], name: "V2" });
  const result = importOtio(JSON.stringify(timeline), {
    cut,
    lookup: mediaIndex(knownTakes(media)),
    newId: counterIds(),
  });
  assert.deepEqual(result.cut, cut);
  assert.deepEqual(result.notes, [
    "tracks.children.5: an empty picture track was left out",
    "tracks.children.0.children.6: a transition at the end of a track was left out",
  ]);
});

Deno.test("bad files are refused with the field named: not JSON, not OTIO, wrong schema, malformed objects", () => {
  const { cut, media } = goldenCut();
  const options = { cut, lookup: mediaIndex(knownTakes(media)), newId: counterIds() };
  const good = () => exportOtio(cut, media) as Editable;
  const cases: [string, string, RegExp][] = [
    ["{ not json", "(file)", /not JSON/],
    ["[1, 2]", "OTIO_SCHEMA", /not an OpenTimelineIO file/],
    ['{"name": "x"}', "OTIO_SCHEMA", /not an OpenTimelineIO file/],
    [
      '{"OTIO_SCHEMA": "SerializableCollection.1"}',
      "OTIO_SCHEMA",
      /Timeline\.1, got "SerializableCollection\.1"/,
    ],
    ['{"OTIO_SCHEMA": "Timeline.1"}', "tracks", /./],
  ];
  const nested = good();
  nested.tracks.children[0].children[0] = { OTIO_SCHEMA: "Stack.1", children: [] };
  cases.push([JSON.stringify(nested), "tracks.children.0.children.0", /flatten the timeline/]);
  const noOffset = good();
  delete noOffset.tracks.children[0].children[1].in_offset;
  cases.push([JSON.stringify(noOffset), "tracks.children.0.children.1.in_offset", /./]);
  const badRate = good();
  badRate.tracks.children[0].children[0].source_range.duration.rate = 0;
  cases.push([
    JSON.stringify(badRate),
    "tracks.children.0.children.0.source_range.duration.rate",
    /more than 0/,
  ]);
  const twoTransitions = good();
  twoTransitions.tracks.children[0].children.splice(
    1,
    0,
    twoTransitions.tracks.children[0].children[1],
  );
  cases.push([JSON.stringify(twoTransitions), "tracks.children.0.children.1", /two transitions/]);
  const beforeMedia = good();
  beforeMedia.tracks.children[0].children[1].in_offset.value = 7; // b starts at 6: needs frame -1
  cases.push([
    JSON.stringify(beforeMedia),
    "tracks.children.0.children.1.in_offset",
    /1 frames before the start/,
  ]);
  const twoPictures = good();
  twoPictures.tracks.children.push(twoPictures.tracks.children[0]);
  cases.push([JSON.stringify(twoPictures), "tracks.children.5", /one picture track/]);
  const deep = good();
  let at = deep.metadata;
  for (let i = 0; i < 80; i++) at = at.nest = {};
  cases.push([JSON.stringify(deep), "metadata.nest.nest", /deeper than 64/]);
  for (const [text, path, message] of cases) {
    const error = refusal(() => importOtio(text, options));
    assert.equal(error.status, 422, text.slice(0, 80));
    assert.equal(error.code, "invalid_otio");
    assert.ok(
      error.issues!.some((i) => i.path.startsWith(path)),
      `${path} in ${JSON.stringify(error.issues)}`,
    );
    assert.match(error.message, message);
  }
});

Deno.test("a timeline that would break a cut rule is refused whole, naming the rule", () => {
  const { cut, media } = goldenCut();
  const timeline = exportOtio(cut, media) as Editable;
  // b lasts 66 frames in the file; the dissolve into it now runs 60 frames past the cut and a
  // new one out of it starts 10 frames before its end: 70 frames of b in transitions.
  const picture = timeline.tracks.children[0].children;
  picture[1].out_offset.value = 60;
  picture.splice(3, 0, { ...picture[1], in_offset: { ...picture[1].in_offset, value: 10 } });
  picture[3].out_offset = { ...picture[3].out_offset, value: 0 };
  const error = refusal(() =>
    importOtio(JSON.stringify(timeline), {
      cut,
      lookup: mediaIndex(knownTakes(media)),
      newId: counterIds(),
    })
  );
  assert.equal(error.status, 422);
  assert.match(error.message, /shorter than its transitions/);
});

Deno.test("a file over the size limit is refused with 413 before it is parsed", () => {
  const { cut, media } = goldenCut();
  const text = " ".repeat(MAX_OTIO_BYTES + 1);
  const error = refusal(() =>
    importOtio(text, { cut, lookup: mediaIndex(knownTakes(media)), newId: counterIds() })
  );
  assert.equal(error.status, 413);
});

Deno.test("the largest cut's export, with its picture sound, fits well within the import limit", () => {
  const clips = Array.from({ length: MAX_CUT_CLIPS }, (_, k): VideoClip => ({
    id: `clip-${k}`,
    kind: "video",
    nodeId: `node-${k}`,
    position: `a${String(k).padStart(5, "0")}`,
    in: 0,
    out: 48,
    transition: k < MAX_CUT_CLIPS - 1 ? { kind: "wipeleft", frames: 12 } : null,
  }));
  const cut: Cut = {
    id: "cut-big",
    name: "Big",
    format: { width: 1280, height: 720, fps: 24 },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
    audioTracks: {},
  };
  const media = new Map(clips.map((c, k) => [
    c.nodeId,
    takeMedia(`SC${k % 100}`, `SHOT-${k}`, 12, 34, { durationFrames: 480, hasAudio: true }),
  ]));
  const bytes = new TextEncoder().encode(serializeOtio(exportOtio(cut, media))).length;
  assert.ok(bytes < MAX_OTIO_BYTES / 2, `${bytes} bytes`);
  // And it reads back.
  const back = importOtio(serializeOtio(exportOtio(cut, media)), {
    cut,
    lookup: mediaIndex(knownTakes(media)),
    newId: counterIds(),
  });
  assert.deepEqual(back.cut, cut);
});
