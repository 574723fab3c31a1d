import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { type ShotParams, wan2gpSettings } from "./settings.ts";

const shot = (params: Record<string, unknown>) =>
  NODE_TYPES["shot.generate"]!.params.parse(params) as unknown as ShotParams;

Deno.test("a shot's parameters become Wan2GP's settings keys, values unchanged", () => {
  const settings = wan2gpSettings(
    "t2v_2_2",
    shot({ prompt: "a lighthouse; rm -rf / $(whoami)", width: 1280, height: 720, frames: 49 }),
    1234,
  );
  assert.deepEqual(settings, {
    model_type: "t2v_2_2",
    prompt: "a lighthouse; rm -rf / $(whoami)",
    negative_prompt: "",
    resolution: "1280x720",
    video_length: 49,
    num_inference_steps: 20,
    guidance_scale: 6,
    seed: 1234,
    force_fps: "16",
    repeat_generation: 1,
  });
});

Deno.test("a start image sets image_start with the start-image flag", () => {
  const settings = wan2gpSettings("i2v_2_2", shot({ prompt: "pan left" }), 1, "/work/j/start.png");
  assert.equal(settings.image_start, "/work/j/start.png");
  assert.equal(settings.image_prompt_type, "S");
});
