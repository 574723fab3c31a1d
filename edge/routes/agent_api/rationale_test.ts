/**
 * The agent's backend choice, sent with a progress event, becomes the job's rationale (after the
 * tier's own); a rationale out of bounds is a 422 naming the field.
 */
import assert from "node:assert/strict";
import { agentProfile, enrollAgent } from "../../../test/jobs/fake_agent.ts";
import { oneShot, saveGraph } from "../../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp } from "../../testing.ts";

Deno.test("an event's rationale is stored as the job's; a bad one is refused, naming it", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const projectId = await createProject(t, owner);
    await saveGraph(t, projectId, oneShot());
    const agent = await enrollAgent(t, owner, agentProfile());
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: "door" } },
    });
    const jobId = queued.body.job.id as string;
    const job = async () =>
      (await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, { token: owner.token }))
        .body.job;
    assert.ok(await agent.claim());
    assert.equal((await agent.event(jobId, 1)).status, 200);
    assert.equal((await job()).rationale, null);
    const why = "wan2gp profile 4: 12 GB VRAM, 32 GB RAM; chosen over ComfyUI: its " +
      "shot.generate.standard template needs 15 of 16 GB";
    assert.equal((await agent.event(jobId, 2, { rationale: why })).status, 200);
    assert.equal((await job()).rationale, why);
    for (const bad of ["x".repeat(401), "   ", 7]) {
      const res = await agent.event(jobId, 3, { rationale: bad });
      assert.equal(res.status, 422);
      assert.match(JSON.stringify(res.body.error), /rationale/);
    }
    assert.equal((await job()).rationale, why, "unchanged by the refused events");
  } finally {
    await t.close();
  }
});
