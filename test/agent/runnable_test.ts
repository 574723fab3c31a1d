/**
 * What the agent can run, end to end: it advertises exactly the (node type, tier) pairs its
 * ComfyUI can run now (node classes and model files there), the edge offers only those, a job
 * nobody can run says which file to put where, and a job the agent finds it cannot run after all
 * goes back untouched and is not offered to it again until what it advertises changes.
 */
import assert from "node:assert/strict";
import type { JobBackend } from "../../gpu-agent/backends/backend.ts";
import { call } from "../../edge/testing.ts";
import { rig } from "./rig.ts";

Deno.test("a job whose model file is missing is not offered; it says which file to put where, and runs once it is there", async () => {
  await using r = await rig();
  r.fake.setModels("checkpoints", []);
  const agent = r.startAgent({ monitorIntervalMs: 300 });
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a lighthouse" },
    tier: "low",
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { job, events } = await r.job(jobId);
  assert.equal(job.state, "queued");
  assert.ok(!events.some((e) => e.to === "leased"), "never offered to the agent");
  assert.deepEqual(job.waiting, {
    reason: "missing_model",
    message:
      "no online agent has `sd_xl_base_1.0.safetensors` for image.generate at low; put it in ComfyUI's models/checkpoints",
  });
  const agents = await call(r.edge.t, "GET", "/api/agents", { token: r.user.token });
  const comfy = agents.body.agents[0].profile.backends.find((b: { kind: string }) =>
    b.kind === "comfyui"
  );
  assert.deepEqual(
    comfy.runnable.filter((w: { nodeType: string }) => w.nodeType === "image.generate"),
    [{
      nodeType: "image.generate",
      tier: "high",
      params: ["height", "prompt", "seed", "steps", "width"],
    }],
    "the agent advertises image generation only where it has the model files",
  );

  r.fake.setModels("checkpoints", ["sd_xl_base_1.0.safetensors"]);
  const done = await r.until("the job to succeed", async () => {
    const { job } = await r.job(jobId);
    return job.state === "succeeded" && job;
  });
  assert.equal(done.attempt, 1);
});

Deno.test("a job the agent finds it cannot run is handed back untouched and not offered to it again until its profile changes", async () => {
  await using r = await rig();
  let refused = 0;
  // The agent advertises image.generate (its probe says so) but finds at run time it cannot.
  const stale = (backends: JobBackend[]) =>
    backends.map((backend): JobBackend =>
      backend.kind !== "comfyui" ? backend : {
        kind: backend.kind,
        probe: (signal) => backend.probe(signal),
        canRun: (type, tier) =>
          type === "image.generate" ? (refused++, false) : backend.canRun(type, tier),
        run: (job, options) => backend.run(job, options),
        close: () => backend.close?.() ?? Promise.resolve(),
      }
    );
  const agent = r.startAgent({ monitorIntervalMs: 300, backends: stale });
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  const leases = async () => (await r.job(jobId)).events.filter((e) => e.to === "leased").length;
  await r.until("the agent to hand it back", async () => {
    const { job, events } = await r.job(jobId);
    return job.state === "queued" && events.some((e) => /cannot run it/.test(e.message ?? ""));
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(await leases(), 1, "not offered to this agent again while its profile stays");
  const { job } = await r.job(jobId);
  assert.equal(job.attempt, 0, "no attempt spent");
  assert.equal(agent.logger.matching("not offered to this agent again").length, 1);

  // A new model file changes what the agent advertises: it may be offered the job again.
  r.fake.setModels("loras", ["detail.safetensors"]);
  const handedBack = await r.until("the job to be offered again, and handed back", async () => {
    const { job, events } = await r.job(jobId);
    const refusals = events.filter((e) => /cannot run it/.test(e.message ?? "")).length;
    return job.state === "queued" && refusals === 2 && job;
  });
  assert.equal(handedBack.attempt, 0);
  assert.equal(await leases(), 2);
  assert.ok(refused >= 2);
});
