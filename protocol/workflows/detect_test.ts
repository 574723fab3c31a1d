import assert from "node:assert/strict";
import type { ApiWorkflow } from "./format.ts";
import { detectBinding } from "./detect.ts";

const example = async (name: string) =>
  JSON.parse(
    await Deno.readTextFile(new URL(`../../examples/workflows/${name}`, import.meta.url)),
  ) as ApiWorkflow;

Deno.test("SDXL: prompt and negative by the sampler's wiring, sampler, size, save, checkpoint", async () => {
  const { binding, notes } = detectBinding(
    await example("sdxl_text_to_image.json"),
    "image.generate",
    "low",
  );
  assert.deepEqual(binding.params, {
    seed: [["3", "inputs", "seed"]],
    steps: [["3", "inputs", "steps"]],
    cfg: [["3", "inputs", "cfg"]],
    width: [["5", "inputs", "width"]],
    height: [["5", "inputs", "height"]],
    prompt: [["6", "inputs", "text"]],
    negativePrompt: [["7", "inputs", "text"]],
  });
  assert.deepEqual(binding.outputs, ["9"]);
  assert.deepEqual(binding.models, [{ folder: "checkpoints", file: "sd_xl_base_1.0.safetensors" }]);
  assert.equal(binding.vramMiB, 12 * 1024 - 512);
  assert.deepEqual(notes, []);
});

Deno.test("the negative prompt is found through WanImageToVideo's negative output", async () => {
  const workflow = await example("wan22_i2v_14b.json");
  // Swap the encoders' ids' roles: node 7 now feeds positive, node 6 negative.
  workflow["50"]!.inputs.positive = ["7", 0];
  workflow["50"]!.inputs.negative = ["6", 0];
  const { binding } = detectBinding(workflow, "shot.generate", "high");
  assert.deepEqual(binding.params.prompt, [["7", "inputs", "text"]]);
  assert.deepEqual(binding.params.negativePrompt, [["6", "inputs", "text"]]);
  assert.deepEqual(binding.inputs, {
    reference: { paths: [["52", "inputs", "image"]], required: true },
  });
  assert.deepEqual(binding.params.frames, [["50", "inputs", "length"]]);
});

Deno.test("Wan 2.2 14B: both expert samplers take seed, steps and cfg; both models are needed", async () => {
  const { binding } = detectBinding(await example("wan22_t2v_14b.json"), "shot.generate", "high");
  assert.deepEqual(binding.params.seed, [["57", "inputs", "noise_seed"], [
    "58",
    "inputs",
    "noise_seed",
  ]]);
  assert.deepEqual(binding.params.steps, [["57", "inputs", "steps"], ["58", "inputs", "steps"]]);
  assert.deepEqual(binding.params.frames, [["59", "inputs", "length"]]);
  assert.deepEqual(binding.params.fps, [["60", "inputs", "fps"]]);
  assert.deepEqual(binding.outputs, ["61"]);
  assert.deepEqual(
    binding.models.map((m) => `${m.folder}/${m.file}`).sort(),
    [
      "diffusion_models/wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors",
      "diffusion_models/wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors",
      "text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors",
      "vae/wan_2.1_vae.safetensors",
    ],
  );
});

Deno.test("a negative made by zeroing the positive leaves that encoder the prompt", () => {
  const workflow: ApiWorkflow = {
    "1": { class_type: "CLIPTextEncode", inputs: { text: "a cat", clip: ["9", 1] } },
    "2": { class_type: "ConditioningZeroOut", inputs: { conditioning: ["1", 0] } },
    "3": {
      class_type: "KSampler",
      inputs: { seed: 1, steps: 4, cfg: 1, positive: ["1", 0], negative: ["2", 0] },
    },
    "4": { class_type: "SaveImage", inputs: { images: ["3", 0], filename_prefix: "x" } },
    "9": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "flux.safetensors" } },
  };
  const { binding } = detectBinding(workflow, "image.generate", "standard");
  assert.deepEqual(binding.params.prompt, [["1", "inputs", "text"]]);
  assert.equal(binding.params.negativePrompt, undefined);
});

Deno.test("only parameters the node type has are bound; the start image feeds the reference", async () => {
  const { binding, notes } = detectBinding(
    await example("wan22_i2v_14b.json"),
    "image.generate",
    "standard",
  );
  assert.equal(binding.params.frames, undefined, "image nodes have no frames");
  // Image nodes take a reference image (a model run in Docker reads one): the start frame's
  // LoadImage is bound to it.
  assert.deepEqual(binding.inputs, {
    reference: { paths: [["52", "inputs", "image"]], required: true },
  });
  assert.deepEqual(binding.outputs, ["61"], "the one save node, said in a note");
  assert.ok(notes.some((n) => /no stock image save node/.test(n)), notes.join("\n"));
});

Deno.test("custom loaders' model files are found by their values, folders by input name or guessed", async () => {
  const workflow = await example("sdxl_text_to_image.json");
  // A GGUF UNet (ComfyUI-GGUF), an IP-Adapter (ComfyUI_IPAdapter_plus), a custom upscaler
  // with a generic input name, and a stock loader the first tables did not list.
  workflow["20"] = {
    class_type: "UnetLoaderGGUF",
    inputs: { unet_name: "wan2.1-t2v-14b-Q4_K_M.gguf" },
  };
  workflow["21"] = {
    class_type: "IPAdapterModelLoader",
    inputs: { ipadapter_file: "ip-adapter_sdxl_vit-h.safetensors" },
  };
  workflow["22"] = {
    class_type: "FancyUpscaleModelLoader",
    inputs: { model_name: "4x_foolhardy_Remacri.pth", tile: 512, mode: "fast" },
  };
  workflow["23"] = {
    class_type: "StyleModelLoader",
    inputs: { style_model_name: "flux1-redux-dev.safetensors" },
  };
  const { binding, notes } = detectBinding(workflow, "image.generate", "low");
  assert.deepEqual(binding.models, [
    { folder: "checkpoints", file: "sd_xl_base_1.0.safetensors" },
    { folder: "diffusion_models", file: "wan2.1-t2v-14b-Q4_K_M.gguf" },
    { folder: "ipadapter", file: "ip-adapter_sdxl_vit-h.safetensors" },
    { folder: "fancy_upscale_models", file: "4x_foolhardy_Remacri.pth" },
    { folder: "style_models", file: "flux1-redux-dev.safetensors" },
  ]);
  // Only the guesses are pointed out, each naming its node, file and folder.
  assert.deepEqual(notes, [
    "node 21 (IPAdapterModelLoader) loads ip-adapter_sdxl_vit-h.safetensors from a folder the " +
    "studio does not know: taken as models/ipadapter; change the folder under the model files " +
    "if the agent's ComfyUI keeps it elsewhere",
    "node 22 (FancyUpscaleModelLoader) loads 4x_foolhardy_Remacri.pth from a folder the studio " +
    "does not know: taken as models/fancy_upscale_models; change the folder under the model " +
    "files if the agent's ComfyUI keeps it elsewhere",
  ]);
});
