import assert from "node:assert/strict";
import type { AgentProfile } from "../api/types.ts";
import { blockedLines, formatVram, gpuLines, runnableLines } from "./agents.ts";

Deno.test("GPUs read as name and VRAM in GB", () => {
  const profile = (gpus: AgentProfile["gpus"]): AgentProfile => ({
    hostname: "h",
    os: "linux",
    gpus,
    backends: [],
    concurrency: 1,
  });
  assert.deepEqual(
    gpuLines(
      profile([{
        index: 0,
        name: "RTX 4090",
        vendor: "nvidia",
        vramTotalMiB: 24564,
        vramFreeMiB: 1,
      }]),
    ),
    ["RTX 4090 · 24 GB"],
  );
  assert.deepEqual(gpuLines(profile([])), ["no GPU (CPU work only)"]);
  assert.equal(formatVram(8192), "8.0 GB");
  assert.equal(formatVram(null), "VRAM unknown");
});

Deno.test("what an agent runs reads as node types and tiers, what it lacks as the fix", () => {
  assert.deepEqual(
    runnableLines([
      { nodeType: "shot.generate", title: "Shot", tier: "high" },
      { nodeType: "image.generate", title: "Image", tier: "low" },
      { nodeType: "shot.generate", title: "Shot", tier: "standard" },
    ]),
    ["Shot: standard, high", "Image: low"],
  );
  const lack = { nodeType: "shot.generate", title: "Shot", tier: "high" as const, template: "t" };
  assert.deepEqual(
    blockedLines([
      {
        ...lack,
        backend: "comfyui",
        missingModels: [
          { folder: "diffusion_models", file: "wan.safetensors" },
          { folder: "text_encoders", file: "umt5.safetensors" },
          { folder: "text_encoders", file: "clip.safetensors" },
        ],
        missingClasses: [],
      },
      { ...lack, tier: "low", backend: "comfyui", missingModels: [], missingClasses: ["WanVideo"] },
    ]),
    [
      "Shot at high: put wan.safetensors in ComfyUI's models/diffusion_models, " +
      "umt5.safetensors and clip.safetensors in models/text_encoders",
      "Shot at low: install the ComfyUI custom node WanVideo",
    ],
  );
  assert.deepEqual(
    blockedLines([{
      ...lack,
      backend: "wan2gp",
      missingModels: [{ folder: "ckpts", file: "wan2.2_high.safetensors" }],
      missingClasses: [],
    }]),
    ["Shot at high: put wan2.2_high.safetensors in Wan2GP's ckpts"],
    "Wan2GP's weights go in its own ckpts folder",
  );
});
