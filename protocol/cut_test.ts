import assert from "node:assert/strict";
import {
  type Cut,
  cutDuration,
  cutProblems,
  cutRenderParamsSchema,
  cutSchema,
  layoutVideo,
  timecode,
  transitionProblems,
  type VideoClip,
  videoTrack,
} from "./cut.ts";

function clip(id: string, position: string, frames: number, transition = 0): VideoClip {
  return {
    id,
    kind: "video",
    nodeId: `n-${id}`,
    position,
    in: 10,
    out: 10 + frames,
    transition: transition ? { kind: "crossfade", frames: transition } : null,
  };
}

function cutOf(...clips: VideoClip[]): Cut {
  return cutSchema.parse({
    id: "c1",
    name: "Main",
    format: { width: 1280, height: 720, fps: 24 },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
    audioTracks: {},
  });
}

Deno.test("clips play in position order, ties broken by id", () => {
  const cut = cutOf(clip("b", "a1", 24), clip("a", "a1", 24), clip("c", "a0", 24));
  assert.deepEqual(videoTrack(cut).map((c) => c.id), ["c", "a", "b"]);
});

Deno.test("a transition overlaps its two clips, so the film is shorter by its length", () => {
  // 48 + 72 + 24 frames, a 12-frame crossfade between the first two, a cut into the third.
  const cut = cutOf(clip("a", "a0", 48, 12), clip("b", "a1", 72), clip("c", "a2", 24, 6));
  const { clips, duration } = layoutVideo(cut);
  assert.deepEqual(
    clips.map((p) => [p.clip.id, p.recordIn, p.recordOut, p.overlapIn, p.overlapOut]),
    [["a", 0, 48, 0, 12], ["b", 36, 108, 12, 0], ["c", 108, 132, 0, 0]],
  );
  // The last clip's transition goes nowhere and takes no time.
  assert.equal(duration, 48 + 72 + 24 - 12);
  assert.equal(cutDuration(cut), duration);
});

Deno.test("an audio clip past the last picture makes the film longer", () => {
  const cut = cutOf(clip("a", "a0", 48));
  cut.audioTracks["t1"] = { id: "t1", name: "Music", position: "a0" };
  cut.clips["m"] = {
    id: "m",
    kind: "audio",
    trackId: "t1",
    nodeId: "n-m",
    start: 40,
    in: 0,
    out: 24,
    gainDb: -6,
  };
  assert.equal(cutDuration(cut), 64);
});

Deno.test("cutProblems names reversed trims, transitions that do not fit, and unknown tracks", () => {
  assert.deepEqual(cutProblems(cutOf(clip("a", "a0", 48, 12), clip("b", "a1", 24))), []);
  const reversed = cutOf(clip("a", "a0", 48));
  reversed.clips["a"] = { ...reversed.clips["a"] as VideoClip, in: 30, out: 30 };
  assert.deepEqual(cutProblems(reversed).map((p) => p.field), ["clips.a.out"]);
  // b is 20 frames long but would share 12 with a and 12 with c.
  const tight = cutOf(clip("a", "a0", 48, 12), clip("b", "a1", 20, 12), clip("c", "a2", 48));
  const problems = cutProblems(tight);
  assert.deepEqual(problems.map((p) => p.field), ["clips.b.transition"]);
  assert.match(problems[0]!.message, /20 frames long, shorter than its transitions \(24 frames\)/);
  const orphan = cutOf(clip("a", "a0", 48));
  orphan.clips["m"] = {
    id: "m",
    kind: "audio",
    trackId: "gone",
    nodeId: "n",
    start: 0,
    in: 0,
    out: 10,
    gainDb: 0,
  };
  assert.deepEqual(cutProblems(orphan).map((p) => p.field), ["clips.m.trackId"]);
});

Deno.test("render params are checked with the same transition rule", () => {
  const params = cutRenderParamsSchema.parse({
    cutId: "c1",
    cutName: "Main",
    revision: 3,
    format: { width: 1280, height: 720, fps: 24 },
    video: [
      { clipId: "a", input: "t1", in: 0, out: 10, transition: { kind: "dissolve", frames: 12 } },
      { clipId: "b", input: null, in: 0, out: 48, transition: null },
    ],
    audio: [],
  });
  assert.deepEqual(transitionProblems(params.video).map((p) => p.field), ["clips.a.transition"]);
});

Deno.test("formats are even sizes and whole rates", () => {
  const format = (f: unknown) =>
    cutSchema.safeParse({ id: "c", name: "x", format: f, clips: {}, audioTracks: {} }).success;
  assert.equal(format({ width: 1280, height: 720, fps: 24 }), true);
  assert.equal(format({ width: 1281, height: 720, fps: 24 }), false);
  assert.equal(format({ width: 1280, height: 720, fps: 23.976 }), false);
  assert.equal(format({ width: 1280, height: 720, fps: 0 }), false);
});

Deno.test("timecode is non-drop HH:MM:SS:FF", () => {
  assert.equal(timecode(0, 24), "00:00:00:00");
  assert.equal(timecode(23, 24), "00:00:00:23");
  assert.equal(timecode(24 * 3661 + 5, 24), "01:01:01:05");
  assert.equal(timecode(1440, 24), "00:01:00:00");
});
