/**
 * Parameters a template does not read are not recorded as if used: the agent advertises which
 * parameters each tier's templates read (the studio greys out the others), and a take's lineage
 * holds what the backend actually ran.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import type { WorkAvailability } from "../../protocol/jobs.ts";
import { rig } from "./rig.ts";

Deno.test("the standard image template ignores steps, cfg and the negative prompt: the take's lineage leaves them out, and the studio is told", async () => {
  await using r = await rig();
  const agent = r.startAgent();
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a lighthouse", steps: 42, cfg: 9, negativePrompt: "fog", seed: 3 },
  });
  await r.until("the job to succeed", async () => (await r.job(jobId)).job.state === "succeeded");
  const [take] = await r.takes("still-1");
  assert.equal(take?.lineage.template, "image.generate.standard");
  assert.deepEqual(take?.lineage.params, {
    scene: "SC01",
    shot: "SHOT-010",
    version: 1,
    prompt: "a lighthouse",
    seed: 3,
    width: 1024,
    height: 1024,
  });

  const res = await call(r.edge.t, "GET", `/api/projects/${r.projectId}/capabilities`, {
    token: r.user.token,
  });
  assert.equal(res.status, 200);
  const of = (nodeType: string, tier: string) =>
    (res.body.capabilities as WorkAvailability[]).find((c) =>
      c.nodeType === nodeType && c.tier === tier
    );
  assert.deepEqual(of("image.generate", "standard"), {
    nodeType: "image.generate",
    tier: "standard",
    agents: 1,
    blocked: null,
    downgrade: null,
    params: ["height", "prompt", "seed", "width"],
  });
  assert.deepEqual(of("image.generate", "high")?.params, [
    "height",
    "prompt",
    "seed",
    "steps",
    "width",
  ]);
});
