/**
 * The user's own ComfyUI workflow, end to end: uploaded to the real edge as a workflow asset,
 * chosen on a node (`params.workflowAssetId`), queued, claimed by the real agent only when its
 * ComfyUI (the fake, which validates prompts against the recorded /object_info) has the
 * workflow's model files, run with the node's parameters bound into the user's own nodes, and
 * recorded on the take as the workflow version that ran.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import type { WorkflowAvailability } from "../../protocol/jobs.ts";
import { promptIdFor } from "../../gpu-agent/backends/comfyui/mod.ts";
import { exampleText } from "../fixtures/workflows/mod.ts";
import { allModels } from "./agent_io.ts";
import { rig } from "./rig.ts";

type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

async function uploadExample(
  r: Awaited<ReturnType<typeof rig>>,
  file: string,
  name: string,
  nodeType: string,
  tier: string,
): Promise<string> {
  const res = await call(r.edge.t, "POST", `/api/projects/${r.projectId}/assets/workflows`, {
    token: r.user.token,
    body: { name, nodeType, tier, workflow: await exampleText(file) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.asset.id;
}

/** What `GET /capabilities` says about one workflow asset (the card's note before Generate). */
async function workflowReadiness(r: Awaited<ReturnType<typeof rig>>, assetId: string) {
  const res = await call(r.edge.t, "GET", `/api/projects/${r.projectId}/capabilities`, {
    token: r.user.token,
  });
  assert.equal(res.status, 200);
  const found = (res.body.workflows as WorkflowAvailability[]).find((w) => w.assetId === assetId);
  assert.ok(found, "the workflow is listed");
  return found;
}

Deno.test("a node runs the user's SDXL workflow asset: params bound into its nodes, the take records the version", async () => {
  await using r = await rig();
  const assetId = await uploadExample(
    r,
    "sdxl_text_to_image.json",
    "SDXL ink",
    "image.generate",
    "low",
  );
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "frame",
    type: "image.generate",
    // The node asks for "high": a workflow runs at its own tier, which the job says.
    tier: "high",
    params: { workflowAssetId: assetId, prompt: "a lighthouse at dusk", seed: 1234, steps: 9 },
  });
  const queued = await r.job(jobId);
  assert.deepEqual(queued.job.workflow, { assetId, version: 1, name: "SDXL ink" });
  assert.equal(queued.job.tier, "low");
  assert.deepEqual(queued.job.requirements.models, ["sd_xl_base_1.0.safetensors"]);

  const done = await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId);
    return detail.job.state === "succeeded"
      ? detail
      : detail.job.state === "failed"
      ? assert.fail(JSON.stringify(detail.job.error))
      : undefined;
  });
  assert.equal(done.job.rationale, null, "one backend: no choice to explain");
  const [take] = await r.takes("frame");
  assert.ok(take, "the node has a take");
  assert.deepEqual(take.lineage.workflow, { assetId, version: 1, name: "SDXL ink" });
  assert.equal(take.lineage.template, 'workflow "SDXL ink" v1');
  assert.equal(take.lineage.seed, 1234);
  assert.equal(take.contentType, "image/png");

  // What ComfyUI ran is the user's workflow with the node's values in the mapped inputs.
  const prompt = r.fake.history(promptIdFor(jobId, 0))!.prompt[2] as Prompt;
  assert.deepEqual(Object.keys(prompt).sort(), ["3", "4", "5", "6", "7", "8", "9"]);
  assert.equal(prompt["6"]!.inputs.text, "a lighthouse at dusk");
  assert.equal(prompt["3"]!.inputs.seed, 1234);
  assert.equal(prompt["3"]!.inputs.steps, 9);
  assert.equal(prompt["3"]!.inputs.sampler_name, "dpmpp_2m", "the user's own settings stay");
  // Values the node does not set are the workflow's own, not the catalog's defaults.
  assert.equal(prompt["3"]!.inputs.cfg, 7, "the workflow's cfg, not the node's default 6");
  assert.equal(prompt["5"]!.inputs.width, 1024);
  assert.deepEqual(Object.keys(take.lineage.params).sort(), [
    "prompt",
    "scene",
    "seed",
    "shot",
    "steps",
    "version",
  ]);
  agent.signal();
  assert.equal(await agent.exit, 0);
});

Deno.test("a workflow whose model no online agent has waits saying which file, and runs once the agent has it", async () => {
  await using r = await rig();
  const assetId = await uploadExample(
    r,
    "wan22_t2v_14b.json",
    "Wan 2.2 fox",
    "shot.generate",
    "high",
  );
  const agent = r.startAgent({ monitorIntervalMs: 300 });
  const jobId = await r.generate({
    id: "shot",
    type: "shot.generate",
    params: { workflowAssetId: assetId, prompt: "a fox in snow", seed: 5 },
  });
  const waiting = await r.until("the wait to be explained", async () => {
    const { job } = await r.job(jobId);
    return job.waiting?.reason === "missing_model" ? job.waiting : undefined;
  });
  assert.match(
    waiting.message,
    /^no online agent has `wan2\.2_t2v_high_noise_14B_fp8_scaled\.safetensors` and `wan2\.2_t2v_low_noise_14B_fp8_scaled\.safetensors` \(workflow "Wan 2\.2 fox" v1 needs them\): put them in ComfyUI's models\/diffusion_models$/,
  );
  assert.equal((await r.job(jobId)).job.state, "queued", "not offered to the agent");
  // The card tells the same before anyone presses Generate.
  const before = await workflowReadiness(r, assetId);
  assert.equal(before.agents, 0);
  assert.equal(before.tier, "high");
  assert.equal(before.blocked?.message, waiting.message);

  // The user downloads the experts; the agent's next health check advertises them.
  r.fake.setModels("diffusion_models", [
    ...(allModels().diffusion_models ?? []),
    "wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors",
    "wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors",
  ]);
  await r.until("the job to succeed", async () => {
    const { job } = await r.job(jobId);
    if (job.state === "failed") assert.fail(JSON.stringify(job.error));
    return job.state === "succeeded";
  });
  const after = await workflowReadiness(r, assetId);
  assert.deepEqual([after.agents, after.blocked], [1, null]);
  assert.deepEqual(after.params, [
    "cfg",
    "fps",
    "frames",
    "height",
    "negativePrompt",
    "prompt",
    "seed",
    "steps",
    "width",
  ]);
  const [take] = await r.takes("shot");
  assert.equal(take!.lineage.template, 'workflow "Wan 2.2 fox" v1');
  assert.equal(take!.contentType, "video/mp4");
  const prompt = r.fake.history(promptIdFor(jobId, 0))!.prompt[2] as Prompt;
  assert.equal(prompt["6"]!.inputs.text, "a fox in snow");
  // One seed drives both experts of the two-pass sampler.
  assert.equal(prompt["57"]!.inputs.noise_seed, 5);
  assert.equal(prompt["58"]!.inputs.noise_seed, 5);
  agent.signal();
  assert.equal(await agent.exit, 0);
});
