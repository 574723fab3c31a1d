/** Agents that vanish or keep failing, and an edge restarted mid-run: no job is ever lost. */
import assert from "node:assert/strict";
import { reapExpiredLeases } from "../../edge/services/jobs/reaper.ts";
import { call, createTestApp } from "../../edge/testing.ts";
import { agentProfile, enrollAgent, FakeAgent } from "./fake_agent.ts";
import { shotProject } from "./shot_job.ts";

Deno.test("an agent that stops sending events loses its lease, and another agent runs the job", async () => {
  const t = await createTestApp();
  try {
    const { owner: ada, projectId, agent: crashing, generate } = await shotProject(t);
    const healthy = await enrollAgent(t, ada);
    const jobId = await generate();
    const first = await crashing.claim();
    assert.equal(first?.id, jobId);
    await crashing.event(jobId, 30);
    assert.equal(await healthy.claim(), null, "leased: nobody else may take it");

    t.advance(t.config.LEASE_MS + 1); // the agent died: no more events
    assert.deepEqual(await reapExpiredLeases(t.deps), { requeued: 1, failed: 0 });
    const second = await healthy.claim();
    assert.equal(second?.id, jobId);
    assert.equal(second?.attempt, 2);
    const [take] = await healthy.finish(second!);
    assert.equal(take?.lineage.agentId, healthy.id);
    const late = await crashing.complete(jobId, [{
      takeId: take!.id,
      bytes: 1,
      sha256: "0".repeat(64),
      contentType: "video/mp4",
    }]);
    assert.equal(late.status, 409, "the crashed agent, come back, cannot complete it");
    const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
      token: ada.token,
    });
    assert.equal(detail.body.job.state, "succeeded");
    assert.ok(
      detail.body.events.some((e: { actor: string; message: string }) => e.actor === "reaper"),
    );
  } finally {
    await t.close();
  }
});

Deno.test("a job whose agents keep dying ends failed with the reason after max_attempts", async () => {
  const t = await createTestApp();
  try {
    const { owner: ada, projectId, agent, generate } = await shotProject(t);
    const jobId = await generate();
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal((await agent.claim())?.attempt, attempt);
      t.advance(t.config.LEASE_MS + 1);
      await reapExpiredLeases(t.deps);
    }
    assert.equal(await agent.claim(), null);
    const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
      token: ada.token,
    });
    assert.equal(detail.body.job.state, "failed");
    assert.equal(
      detail.body.job.error,
      "failed after 3 attempts: lease expired: the agent stopped reporting",
    );
    assert.ok(
      t.notifier.events.some((e) => e.event.type === "error.occurred" && e.event.taskId === jobId),
    );
  } finally {
    await t.close();
  }
});

Deno.test("an edge restarted mid-run loses no job: running and queued jobs carry on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-restart-" });
  const env = { DATABASE_URL: `file:${dir}/app.db`, BLOB_DIR: `${dir}/blobs` };
  let t = await createTestApp(env);
  try {
    const { owner: ada, projectId, agent, generate } = await shotProject(
      t,
      agentProfile({ concurrency: 2 }),
    );
    const running = await generate();
    const waiting = await generate();
    assert.equal((await agent.claim())?.id, running);
    await agent.event(running, 50);
    const output = await agent.upload(running, new TextEncoder().encode("half-way video"));

    await t.close(); // the edge goes away mid-run...
    t = await createTestApp(env); // ...and comes back on the same database and blob folder
    const again = new FakeAgent(t, agent.id, agent.credential);
    assert.equal((await again.event(running, 90)).status, 200, "the lease survived the restart");
    const done = await again.complete(running, [output]);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await again.claim())?.id, waiting, "the queued job is still there");
    const jobs = await call(t, "GET", `/api/projects/${projectId}/jobs`, { token: ada.token });
    assert.deepEqual(jobs.body.jobs.map((j: { state: string }) => j.state).sort(), [
      "leased",
      "succeeded",
    ]);
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
