import assert from "node:assert/strict";
import { placeClips } from "../../../protocol/cut.ts";
import { videoClip } from "./test_clips.ts";
import {
  audioEdit,
  dragEdges,
  dropIndex,
  playingAt,
  positionForMove,
  snapDelta,
  snapMarks,
  transitionLimit,
  trimEdge,
} from "./timeline.ts";

const clip = videoClip;

Deno.test("the preview plays each clip's own frames, switching at a transition's midpoint", () => {
  const { clips } = placeClips([clip("a", "a0", 48, 12), clip("b", "a1", 48)]);
  assert.deepEqual(
    [0, 41, 42, 47].map((f) => {
      const at = playingAt(clips, f)!;
      return [at.placed.clip.id, at.source];
    }),
    [["a", 10], ["a", 51], ["b", 16], ["b", 21]],
  );
  assert.equal(playingAt(clips, 84), null, "after the end");
});

Deno.test("a moved clip gets a key between its new neighbours; the others keep theirs", () => {
  const track = [clip("a", "a0", 10), clip("b", "a1", 10), clip("c", "a2", 10)];
  const first = positionForMove(track, "c", 0);
  assert.ok(first < "a0");
  const middle = positionForMove(track, "a", 1);
  assert.ok(middle > "a1" && middle < "a2");
  assert.ok(positionForMove(track, "a", 9) > "a2");
});

Deno.test("edge drags keep a trim sound; a drop lands before the clip whose middle it passes", () => {
  assert.deepEqual(trimEdge({ in: 10, out: 20 }, "in", 50), { in: 19, out: 20 });
  assert.deepEqual(trimEdge({ in: 10, out: 20 }, "in", -50), { in: 0, out: 20 });
  assert.deepEqual(trimEdge({ in: 10, out: 20 }, "out", -50), { in: 10, out: 11 });
  assert.deepEqual(trimEdge({ in: 10, out: 20 }, "out", 50, 40), { in: 10, out: 40 });
  const { clips } = placeClips([clip("a", "a0", 10), clip("b", "a1", 10)]);
  assert.deepEqual([0, 4, 6, 16, 40].map((x) => dropIndex(clips, x, 1)), [0, 0, 1, 2, 2]);
});

Deno.test("trims and extensions stop at the take's end when its length is known", () => {
  // A take of 48 frames: the tail goes no further, the head no later than its last frame.
  assert.deepEqual(trimEdge({ in: 10, out: 40 }, "out", 30, 48), { in: 10, out: 48 });
  assert.deepEqual(trimEdge({ in: 10, out: 40 }, "in", 30, 48), { in: 39, out: 40 });
  // A clip already past a shorter take (another take circled since) comes back within it.
  assert.deepEqual(trimEdge({ in: 10, out: 60 }, "in", 45, 48), { in: 47, out: 60 });
  assert.deepEqual(trimEdge({ in: 10, out: 60 }, "out", 2, 48), { in: 10, out: 48 });
  // Unknown length: as before.
  assert.deepEqual(trimEdge({ in: 10, out: 40 }, "out", 30, null), { in: 10, out: 70 });
  const rain = { start: 10, in: 4, out: 100 };
  assert.deepEqual(audioEdit(rain, "out", 50, 120), { out: 120 });
  assert.deepEqual(audioEdit(rain, "out", 50), { out: 150 });
});

Deno.test("an audio clip moves by its start; a head trim keeps the sound in place", () => {
  const rain = { start: 10, in: 4, out: 100 };
  // Only what the drag changes: a teammate's trim of the same clip meanwhile stays.
  assert.deepEqual(audioEdit(rain, "move", 24), { start: 34 });
  assert.deepEqual(audioEdit(rain, "move", -50), { start: 0 });
  assert.deepEqual(audioEdit(rain, "in", 12), { start: 22, in: 16 });
  // Neither before its take's start nor before the film's.
  assert.deepEqual(audioEdit(rain, "in", -20), { start: 6, in: 0 });
  assert.deepEqual(audioEdit({ start: 2, in: 30, out: 100 }, "in", -20), { start: 0, in: 28 });
  assert.deepEqual(audioEdit(rain, "in", 500), { start: 105, in: 99 });
  assert.deepEqual(audioEdit(rain, "out", -32), { out: 68 });
  assert.deepEqual(audioEdit(rain, "out", -500), { out: 5 });
});

Deno.test("a transition is at most what both clips hold beside their other transitions", () => {
  const { clips } = placeClips([
    clip("a", "a0", 48, 10),
    clip("b", "a1", 40, 6),
    clip("c", "a2", 30),
  ]);
  assert.equal(transitionLimit(clips[0]!, clips[1]!), 34, "b holds 40 less its 6 into c");
  assert.equal(transitionLimit(clips[1]!, clips[2]!), 30, "b holds 40 less 10 from a; c 30");
});

Deno.test("a dragged edge near a mark lands on it; the nearest mark of the nearest edge wins", () => {
  // A clip from 10 to 50 dragged 35 frames: its start (45) is 3 from the mark at 48.
  assert.equal(snapDelta([10, 50], 35, [48, 100], 4), 38);
  // Dragged 37: its end (87) is 1 from 88, nearer than its start (47) is to 45.
  assert.equal(snapDelta([10, 50], 37, [45, 88], 4), 38);
  // Too far from every mark: as dragged.
  assert.equal(snapDelta([10, 50], 20, [48, 100], 4), 20);
  assert.equal(snapDelta([10], 20, [], 4), 20);
});

Deno.test("what a drag snaps to: the start, the playhead, other clips; a video tail, the clips before it", () => {
  const { clips } = placeClips([clip("a", "a0", 48), clip("b", "a1", 48), clip("c", "a2", 48)]);
  const rain = { id: "r", kind: "audio" as const, trackId: "t", nodeId: "r", start: 20 };
  const sound = { ...rain, in: 0, out: 30, gainDb: 0 };
  // An audio clip moves both its edges and snaps to every video edge and other sounds.
  assert.deepEqual(dragEdges(sound, "move", clips), [20, 50]);
  assert.deepEqual(dragEdges(sound, "in", clips), [20]);
  assert.deepEqual(dragEdges(sound, "out", clips), [50]);
  const thunder = { ...sound, id: "th", start: 100, out: 10 };
  assert.deepEqual(snapMarks(sound, clips, [sound, thunder], 7), [
    0,
    7,
    0,
    48,
    48,
    96,
    96,
    144,
    100,
    110,
  ]);
  // b's tail trim moves c with it: only a's edges are marks.
  const b = clips[1]!.clip;
  assert.deepEqual(dragEdges(b, "out", clips), [96]);
  assert.deepEqual(snapMarks(b, clips, [], 7), [0, 7, 0, 48]);
});
