/**
 * Shots on an agent with both ComfyUI and Wan2GP: the agent chooses by what it has and the
 * tier's needs, and the edge stores the choice and why as the job's rationale.
 */
import assert from "node:assert/strict";
import { Wan2gpBackend } from "../../gpu-agent/backends/wan2gp/mod.ts";
import type { Detection } from "../../gpu-agent/detect/detect.ts";
import { installFakeWan2gp } from "../fakes/wan2gp/install.ts";
import { DETECTION } from "./agent_io.ts";
import { rig } from "./rig.ts";

function machine(vramMiB: number, ramMiB: number): Detection {
  return {
    profile: {
      ...DETECTION.profile,
      gpus: [{ ...DETECTION.profile.gpus[0]!, vramTotalMiB: vramMiB, vramFreeMiB: vramMiB - 500 }],
      memoryMiB: ramMiB,
    },
    problems: [],
  };
}

async function shotOn(detection: Detection) {
  const r = await rig();
  const wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const ram = detection.profile.memoryMiB;
  const vram = detection.profile.gpus[0]!.vramTotalMiB;
  const agent = r.startAgent({
    detection,
    backends: (defaults) => [
      ...defaults,
      new Wan2gpBackend({
        dir: wan2gp.dir,
        python: "python3",
        bridgeUrl: "http://127.0.0.1:9",
        memory: () => Promise.resolve({ vramMiB: vram, ramMiB: ram }),
      }),
    ],
  });
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  const jobId = await r.generate({
    id: "shot-1",
    type: "shot.generate",
    tier: "low",
    params: { prompt: "a lighthouse at dusk", steps: 3, frames: 17 },
  });
  const detail = await r.until("the job to end", async () => {
    const d = await r.job(jobId);
    return ["succeeded", "failed"].includes(d.job.state) && d;
  });
  const takes = await r.takes("shot-1");
  return {
    detail,
    takes,
    async [Symbol.asyncDispose]() {
      await r[Symbol.asyncDispose]();
      await wan2gp[Symbol.asyncDispose]();
    },
  };
}

Deno.test("on a 12 GB card, a shot goes to Wan2GP and the job says why", async () => {
  await using run = await shotOn(machine(12282, 32 * 1024 - 600));
  const { job } = run.detail;
  assert.equal(job.state, "succeeded", JSON.stringify(run.detail));
  assert.equal(
    job.rationale,
    "wan2gp profile 4: 12 GB VRAM, 32 GB RAM; chosen over ComfyUI: its shot.generate.low " +
      "template needs 10 of 12 GB",
  );
  assert.equal(run.takes[0]!.lineage.template, "wan2gp t2v_1.3B");
  assert.equal(run.takes[0]!.contentType, "video/mp4");
});

Deno.test("on a 24 GB card, the same shot runs on ComfyUI: room to spare", async () => {
  await using run = await shotOn(machine(24564, 64 * 1024));
  const { job } = run.detail;
  assert.equal(job.state, "succeeded", JSON.stringify(run.detail));
  assert.equal(
    job.rationale,
    "comfyui shot.generate.low; chosen over Wan2GP: 10 of 24 GB leaves room",
  );
  assert.equal(run.takes[0]!.lineage.template, "shot.generate.low");
});
