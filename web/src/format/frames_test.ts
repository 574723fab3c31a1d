import assert from "node:assert/strict";
import type { Take } from "../api/types.ts";
import { ASSUMED_FPS, fpsOf, frameAt, frameCount, timeOfFrame } from "./frames.ts";

const take = (params: Record<string, unknown>, extra = {}) =>
  ({ lineage: { params }, ...extra }) as unknown as Take;

Deno.test("a take's rate: measured, else what its node asked for, else a render's cut format, else assumed", () => {
  assert.deepEqual(fpsOf(take({ fps: 16 }, { fps: 25 })), { fps: 25, known: true });
  assert.deepEqual(fpsOf(take({ fps: 16 })), { fps: 16, known: true });
  assert.deepEqual(fpsOf(take({ format: { fps: 30, width: 1, height: 1 } })), {
    fps: 30,
    known: true,
  });
  assert.deepEqual(fpsOf(take({})), { fps: ASSUMED_FPS, known: false });
});

Deno.test("stepping by frames lands inside each frame and reads back the same frame", () => {
  for (const fps of [16, 24, 25, 30, 60]) {
    for (let frame = 0; frame < 200; frame++) {
      assert.equal(frameAt(timeOfFrame(frame, fps), fps), frame, `${frame} at ${fps}`);
      assert.equal(frameAt(frame / fps, fps), frame, `the start of ${frame} at ${fps}`);
    }
  }
  assert.equal(frameCount(2, 24), 48);
  assert.equal(frameCount(Number.NaN, 24), 1);
});
