import assert from "node:assert/strict";
import { pastTake, takeFrames } from "./take_length.ts";

Deno.test("a take's length counts in whole frames of the cut's rate", () => {
  // Wan's 16 fps take of 2 s is 48 frames of a 24 fps cut.
  assert.equal(takeFrames({ durationSeconds: 2 }, 24), 48);
  // ffprobe's rounding a hair under a frame does not lose the frame.
  assert.equal(takeFrames({ durationSeconds: 1.99999 }, 24), 48);
  assert.equal(takeFrames({ durationSeconds: 2.03 }, 24), 48);
  assert.equal(takeFrames(null, 24), null);
  assert.equal(takeFrames({ durationSeconds: 0 }, 24), null);
});

Deno.test("a clip that reads past its take's end says so, naming the take's length", () => {
  assert.equal(pastTake({ id: "v1", out: 48 }, 48, 24), null);
  assert.equal(pastTake({ id: "v1", out: 500 }, null, 24), null, "length unknown: not limited");
  const problem = pastTake({ id: "v1", out: 60 }, 48, 24);
  assert.equal(problem?.field, "clips.v1.out");
  assert.match(problem!.message, /48 frames long \(00:00:02:00\).*not at frame 60/);
});
