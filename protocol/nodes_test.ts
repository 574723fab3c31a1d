import assert from "node:assert/strict";
import { NODE_TYPES } from "./nodes.ts";

Deno.test("voice.synthesize names only the backends that can speak: Docker and a Gradio app", () => {
  const voice = NODE_TYPES["voice.synthesize"]!;
  assert.deepEqual([...voice.backends], ["docker", "gradio"]);
  // The palette and the inspector show the description: it must say so in words too.
  assert.match(voice.description, /Docker voice model/);
  assert.match(voice.description, /Gradio/);
  assert.match(voice.description, /ComfyUI and Wan2GP cannot run it/);
});

Deno.test("shots run on ComfyUI, Wan2GP, a Gradio app or, last, a Docker model; audio on ComfyUI first", () => {
  assert.deepEqual([...NODE_TYPES["shot.generate"]!.backends], [
    "comfyui",
    "wan2gp",
    "gradio",
    "docker",
  ]);
  assert.equal(NODE_TYPES["audio.generate"]!.backends[0], "comfyui");
});

Deno.test("a Docker upscaling model is preferred to ffmpeg's filters where an agent has one", () => {
  assert.deepEqual([...NODE_TYPES["upscale"]!.backends], ["docker", "ffmpeg"]);
});
