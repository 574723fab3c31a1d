import assert from "node:assert/strict";
import { layoutVideo } from "../../../protocol/cut.ts";
import { exportOtio, GAP_NAME, serializeOtio } from "./otio_export.ts";
import type * as otio from "./otio_objects.ts";
import {
  cutAudioFrames,
  cutPictureFrames,
  goldenCut,
  otioAudioFrames,
  otioTrackDuration,
  otioTrackFrames,
  prng,
  randomCut,
} from "./testing.ts";

const golden = new URL("./testdata/golden.otio", import.meta.url);

/** [schema, start, duration] of clips and gaps, [schema, in_offset, out_offset, type] of transitions. */
function summary(track: otio.Track) {
  return track.children.map((item) =>
    item.OTIO_SCHEMA === "Transition.1"
      ? [item.OTIO_SCHEMA, item.in_offset.value, item.out_offset.value, item.transition_type]
      : [item.OTIO_SCHEMA, item.source_range!.start_time.value, item.source_range!.duration.value]
  );
}

Deno.test("the golden cut exports to the golden OTIO file", async () => {
  const { cut, media } = goldenCut();
  const text = serializeOtio(exportOtio(cut, media, { relative: true }));
  assert.equal(text, await Deno.readTextFile(golden));
});

Deno.test("transitions become OTIO transitions centred on the cut, with the clips trimmed around them", () => {
  // Worked by hand from overlap.ts: a 48-frame clip from frame 10 dissolving for 12 frames into a
  // 72-frame clip from 0; a gap of 24 wiping for 5 frames (odd: 2 before the cut, 3 after) into
  // 48 frames from 100.
  const { cut, media } = goldenCut();
  const timeline = exportOtio(cut, media);
  const [picture, sound, music, voice, voice2] = timeline.tracks.children;
  assert.deepEqual(summary(picture!), [
    ["Clip.2", 10, 42],
    ["Transition.1", 6, 6, "SMPTE_Dissolve"],
    ["Clip.2", 6, 66],
    ["Gap.1", 0, 21],
    ["Transition.1", 2, 3, "Custom_Transition"],
    ["Clip.2", 102, 46],
  ]);
  const wipe = picture!.children[4] as otio.Transition;
  assert.deepEqual(wipe.metadata, { movie_director: { kind: "wipeleft" } });
  assert.equal(otioTrackDuration(picture!), layoutVideo(cut).duration);
  assert.equal(otioTrackDuration(picture!), 175);
  assert.equal((picture!.children[3] as otio.Gap).name, GAP_NAME);
  assert.deepEqual(
    timeline.tracks.children.map((t) => [t.kind, t.name]),
    [["Video", "Picture"], ["Audio", "Shot sound"], ["Audio", "Music"], ["Audio", "Voice"], [
      "Audio",
      "Voice (2)",
    ]],
  );
  // The take without sound is silence on the picture's sound track; transitions crossfade.
  assert.deepEqual(summary(sound!), [
    ["Clip.2", 10, 42],
    ["Transition.1", 6, 6, "SMPTE_Dissolve"],
    ["Gap.1", 6, 66],
    ["Gap.1", 0, 21],
    ["Transition.1", 2, 3, "SMPTE_Dissolve"],
    ["Clip.2", 102, 46],
  ]);
  // Audio clips sit at their start frames with gaps before them; overlapping ones get a lane.
  assert.deepEqual(summary(music!), [["Gap.1", 0, 12], ["Clip.2", 0, 96]]);
  assert.deepEqual(summary(voice!), [["Clip.2", 0, 40]]);
  assert.deepEqual(summary(voice2!), [["Gap.1", 0, 30], ["Clip.2", 5, 20]]);
  assert.deepEqual((voice2!.children[1] as otio.Clip).metadata, {
    movie_director: { clipId: "clip-v2", nodeId: "node-voice2", gainDb: 3.5 },
  });
});

Deno.test("media point at download URLs, or at production paths with relative, with available ranges when known", () => {
  const { cut, media } = goldenCut();
  const first = (relative: boolean) =>
    (exportOtio(cut, media, { relative }).tracks.children[0]!.children[0] as otio.Clip)
      .media_references.DEFAULT_MEDIA;
  assert.equal(first(false).target_url, media.get("node-a")!.url);
  assert.equal(first(true).target_url, "renders/SC01/SHOT-010/v01/SHOT-010_v01_take03.mp4");
  assert.deepEqual(
    [first(true).available_range!.start_time.value, first(true).available_range!.duration.value],
    [0, 120],
  );
  const second = exportOtio(cut, media).tracks.children[0]!.children[2] as otio.Clip;
  assert.equal(second.media_references.DEFAULT_MEDIA.available_range, null);
});

Deno.test("every frame of the exported timeline shows the same source frames as the cut (random cuts)", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const { cut, media } = randomCut(prng(seed));
    const timeline = exportOtio(cut, media);
    const fps = cut.format.fps;
    const [picture, ...rest] = timeline.tracks.children;
    const context = `seed ${seed}`;
    assert.equal(otioTrackDuration(picture!), layoutVideo(cut).duration, context);
    assert.deepEqual(otioTrackFrames(picture!, fps), cutPictureFrames(cut, media), context);
    assert.deepEqual(otioAudioFrames(timeline), cutAudioFrames(cut, media), context);
    // The picture's own sound: the picture's frames where the take has sound.
    const withSound = new Map([...media].filter(([, m]) => m.hasAudio));
    const sound = rest.find((t) => t.name === "Shot sound");
    if (sound) {
      const expected = cutPictureFrames(cut, withSound);
      for (const [f, list] of expected) {
        const audible = list.filter((s) => !s.startsWith("gap@"));
        if (audible.length > 0) expected.set(f, audible);
        else expected.delete(f);
      }
      const got = otioTrackFrames(
        sound,
        fps,
        new Map(),
        (item) =>
          item.OTIO_SCHEMA === "Clip.2"
            ? { source: item.media_references.DEFAULT_MEDIA.target_url, suffix: "" }
            : null,
      );
      assert.deepEqual(got, expected, context);
    } else {
      assert.ok(!layoutVideo(cut).clips.some((p) => media.get(p.clip.nodeId)?.hasAudio), context);
    }
  }
});

Deno.test("OTIO's own transition rules hold: offsets within the neighbours, no two transitions touching", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const { cut, media } = randomCut(prng(seed));
    for (const track of exportOtio(cut, media).tracks.children) {
      track.children.forEach((item, index) => {
        if (item.OTIO_SCHEMA !== "Transition.1") return;
        const before = track.children[index - 1];
        const after = track.children[index + 1];
        assert.ok(before && before.OTIO_SCHEMA !== "Transition.1", `seed ${seed}`);
        assert.ok(after && after.OTIO_SCHEMA !== "Transition.1", `seed ${seed}`);
        assert.ok(item.in_offset.value <= before.source_range!.duration.value, `seed ${seed}`);
        assert.ok(item.out_offset.value <= after.source_range!.duration.value, `seed ${seed}`);
        const next = track.children[index + 2];
        if (next?.OTIO_SCHEMA === "Transition.1") {
          // Two transitions around one item may not overlap inside it.
          assert.ok(
            item.out_offset.value + next.in_offset.value <= after.source_range!.duration.value,
            `seed ${seed}`,
          );
        }
      });
    }
  }
});

Deno.test("the last clip's transition goes nowhere and is not exported", () => {
  const { cut, media } = goldenCut();
  const last = cut.clips["clip-d"]!;
  if (last.kind !== "video") throw new Error("clip-d is a picture clip");
  cut.clips["clip-d"] = { ...last, transition: { kind: "dissolve", frames: 8 } };
  const picture = exportOtio(cut, media).tracks.children[0]!;
  assert.equal(picture.children.filter((c) => c.OTIO_SCHEMA === "Transition.1").length, 2);
  assert.equal(picture.children.at(-1)!.OTIO_SCHEMA, "Clip.2");
});

Deno.test("a cut with no sound in its takes has no picture-sound track", () => {
  const { cut, media } = goldenCut();
  for (const [id, m] of media) media.set(id, { ...m, hasAudio: false });
  const kinds = exportOtio(cut, media).tracks.children.map((t) => t.name);
  assert.deepEqual(kinds, ["Picture", "Music", "Voice", "Voice (2)"]);
});
