import assert from "node:assert/strict";
import { agentProfileSchema } from "../../protocol/jobs.ts";
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
};
const comfy = { kind: "comfyui" as const, healthy: true, templates: [] };

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

Deno.test("a 24 GB machine with ComfyUI is eligible for generation at every tier", () => {
  const work = eligibleWork({ gpus: [gpu(24576)] }, [comfy]);
  assert.deepEqual(work["image.generate"], ["low", "standard", "high"]);
  assert.equal(work.upscale, undefined);
});

Deno.test("the advertised profile passes the edge's schema", () => {
  const profile = advertisedProfile(
    { hostname: "render-01", os: "linux", gpus: [gpu(24564)], cpus: 16, memoryMiB: 64000 },
    [{ ...ffmpeg, version: "5.1", models: [] }],
    1,
  );
  assert.equal(agentProfileSchema.safeParse(profile).success, true);
});
