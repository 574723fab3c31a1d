import assert from "node:assert/strict";
import { agentProfileSchema } from "../../protocol/jobs.ts";
import { TIERS } from "../../protocol/tiers.ts";
import { advertisedProfile, eligibleWork, gpuTiers } from "./advertise.ts";
import type { GpuInfo } from "./profile.ts";

const gpu = (vram: number | null): GpuInfo => ({
  index: 0,
  name: "GPU",
  vendor: "nvidia",
  vramTotalMiB: vram,
  vramFreeMiB: null,
});
const ffmpeg = {
  kind: "ffmpeg" as const,
  healthy: true,
  templates: ["transition", "composite", "upscale"],
  runnable: (["transition", "composite", "upscale"] as const).map((nodeType) => ({
    nodeType,
    tier: "standard" as const,
  })),
};
const comfy = {
  kind: "comfyui" as const,
  healthy: true,
  templates: ["image.generate.low", "image.generate.standard", "image.generate.high"],
  runnable: TIERS.map((tier) => ({ nodeType: "image.generate", tier })),
};

Deno.test("a 12, 16 or 24 GB card meets the low, standard or high tier", () => {
  // memory.total as nvidia-smi reports it for an RTX 4070, 3060 12GB, 4080, 3090 and 4090.
  assert.deepEqual(gpuTiers({ gpus: [gpu(12282)] }), ["low"]);
  assert.deepEqual(gpuTiers({ gpus: [gpu(12288)] }), ["low"]);
  assert.deepEqual(gpuTiers({ gpus: [gpu(16376)] }), ["low", "standard"]);
  assert.deepEqual(gpuTiers({ gpus: [gpu(24576)] }), ["low", "standard", "high"]);
  assert.deepEqual(gpuTiers({ gpus: [gpu(24564)] }), ["low", "standard", "high"]);
  assert.deepEqual(gpuTiers({ gpus: [gpu(8192)] }), []);
  assert.deepEqual(gpuTiers({ gpus: [] }), []);
  assert.deepEqual(gpuTiers({ gpus: [gpu(null)] }), []);
});

Deno.test("a CPU-only machine with ffmpeg is eligible for processing nodes only", () => {
  assert.deepEqual(eligibleWork({ gpus: [] }, [ffmpeg, comfy]), {
    upscale: ["standard"],
    transition: ["standard"],
    composite: ["standard"],
  });
});

Deno.test("a 24 GB machine with ComfyUI is eligible for its runnable templates at every tier", () => {
  const work = eligibleWork({ gpus: [gpu(24576)] }, [comfy]);
  assert.deepEqual(work["image.generate"], ["low", "standard", "high"]);
  assert.equal(work["shot.generate"], undefined, "no template for shots: not eligible");
  assert.equal(work.upscale, undefined);
});

Deno.test("a 16 GB card advertises ComfyUI's pairs up to the standard tier only", () => {
  const profile = advertisedProfile(
    { hostname: "r", os: "linux", gpus: [gpu(16376)], cpus: 8, memoryMiB: 32000 },
    [{ ...comfy, version: "0.8.0", models: [] }, { ...ffmpeg, version: "7.1", models: [] }],
    1,
  );
  assert.deepEqual(profile.backends[0]!.runnable!.map((p) => p.tier), ["low", "standard"]);
  assert.equal(profile.backends[1]!.runnable!.length, 3, "ffmpeg runs on the CPU");
});

Deno.test("ComfyUI without runnable templates makes the machine eligible for nothing", () => {
  assert.deepEqual(
    eligibleWork({ gpus: [gpu(24576)] }, [{ ...comfy, runnable: [] }]),
    {},
  );
});

Deno.test("the advertised profile passes the edge's schema", () => {
  const profile = advertisedProfile(
    { hostname: "render-01", os: "linux", gpus: [gpu(24564)], cpus: 16, memoryMiB: 64000 },
    [{ ...ffmpeg, version: "5.1", models: [] }],
    1,
  );
  assert.equal(agentProfileSchema.safeParse(profile).success, true);
});
