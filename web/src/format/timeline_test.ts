import assert from "node:assert/strict";
import { placeClips, type VideoClip } from "../../../protocol/cut.ts";
import { dropIndex, playingAt, positionForMove, trimEdge } from "./timeline.ts";

const clip = (id: string, position: string, frames: number, fade = 0): VideoClip => ({
  id,
  kind: "video",
  nodeId: id,
  position,
  in: 10,
  out: 10 + frames,
  transition: fade ? { kind: "dissolve", frames: fade } : null,
});

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
