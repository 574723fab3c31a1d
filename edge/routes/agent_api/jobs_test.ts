import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { agents } from "../../../db/schema/mod.ts";
import { agentProfile, enrollAgent } from "../../../test/jobs/fake_agent.ts";
import { shotProject } from "../../../test/jobs/shot_job.ts";
import { reapExpiredLeases } from "../../services/jobs/reaper.ts";
import { call, createTestApp } from "../../testing.ts";

async function setup() {
  const t = await createTestApp();
  const { owner, projectId, agent, generate } = await shotProject(t);
  const jobId = await generate();
  const job = async () =>
    (await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, { token: owner.token }))
      .body;
  return { t, owner, projectId, agent, jobId, job };
}

Deno.test("events extend the lease; after the lease is reaped the old agent gets 409 and must stop", async () => {
  const { t, owner, agent, jobId, job } = await setup();
  try {
    const claimed = await agent.claim();
    assert.ok(claimed);
    t.advance(claimed.leaseMs - 1000);
    const event = await agent.event(jobId);
    assert.equal(event.status, 200);
    assert.ok(event.body.leaseExpiresAt > claimed.leaseExpiresAt, "the lease moved on");
    t.advance(claimed.leaseMs - 1000);
    assert.deepEqual(
      await reapExpiredLeases(t.deps),
      { requeued: 0, failed: 0 },
      "kept alive by the event",
    );

    t.advance(2000);
    assert.deepEqual(await reapExpiredLeases(t.deps), { requeued: 1, failed: 0 });
    const other = await enrollAgent(t, owner);
    assert.equal((await other.claim())?.attempt, 2);
    for (
      const res of [
        await agent.event(jobId),
        await agent.fail(jobId, "x", true),
        await agent.release(jobId),
      ]
    ) {
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "lease_lost");
    }
    assert.equal((await job()).job.agentId, other.id, "the stale agent changed nothing");
  } finally {
    await t.close();
  }
});

Deno.test("a canceled job is reported to its agent in the answer to its next event", async () => {
  const { t, owner, projectId, agent, jobId, job } = await setup();
  try {
    await agent.claim();
    await agent.event(jobId, 10);
    const cancel = await call(t, "POST", `/api/projects/${projectId}/jobs/${jobId}/cancel`, {
      token: owner.token,
    });
    assert.equal(cancel.body.job.state, "canceled");
    const event = await agent.event(jobId, 20);
    assert.equal(event.status, 200);
    assert.equal(event.body.canceled, true);
    const output = await agent.call("POST", `/jobs/${jobId}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    assert.equal(output.status, 409, "no uploads for a canceled job");
    assert.equal((await job()).job.state, "canceled");
    const again = await call(t, "POST", `/api/projects/${projectId}/jobs/${jobId}/cancel`, {
      token: owner.token,
    });
    assert.equal(again.status, 200, "canceling twice is harmless");
    const retried = await call(t, "POST", `/api/projects/${projectId}/jobs/${jobId}/retry`, {
      token: owner.token,
    });
    assert.equal(retried.body.job.state, "queued");
    assert.equal(retried.body.job.attempt, 0);
  } finally {
    await t.close();
  }
});

Deno.test("retriable failures go back to the queue until max_attempts, then fail with the reason", async () => {
  const { t, agent, jobId, job } = await setup();
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await agent.claim();
      assert.equal(claimed?.attempt, attempt);
      const res = await agent.fail(jobId, "ComfyUI went away", true);
      assert.equal(res.body.state, attempt < 3 ? "queued" : "failed");
    }
    const { job: failed, events } = await job();
    assert.equal(failed.state, "failed");
    assert.equal(failed.error, "failed after 3 attempts: ComfyUI went away");
    assert.equal(events.filter((e: { to: string }) => e.to === "leased").length, 3);
    assert.equal(await agent.claim(), null);
    const error = t.notifier.events.find((e) => e.event.type === "error.occurred");
    assert.equal(error?.event.message, "failed after 3 attempts: ComfyUI went away");
  } finally {
    await t.close();
  }
});

Deno.test("a fatal failure ends the job at once; a release puts it back without spending an attempt", async () => {
  const { t, agent, jobId, job } = await setup();
  try {
    await agent.claim();
    const released = await agent.release(jobId);
    assert.deepEqual(released.body, { state: "queued", attempt: 0, maxAttempts: 3 });
    assert.equal((await agent.claim())?.attempt, 1);
    const fatal = await agent.fail(jobId, "prompt rejected by the model", false);
    assert.equal(fatal.body.state, "failed");
    assert.equal((await job()).job.error, "prompt rejected by the model");
  } finally {
    await t.close();
  }
});

Deno.test("completion checks storage: a missing or short upload is refused and changes nothing", async () => {
  const { t, agent, jobId, job } = await setup();
  try {
    await agent.claim();
    const reserved = await agent.call("POST", `/jobs/${jobId}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    const missing = await agent.complete(jobId, [{
      takeId: reserved.body.takeId,
      bytes: 3,
      sha256: "a".repeat(64),
      contentType: "video/mp4",
    }]);
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.code, "output_mismatch");
    const uploaded = await agent.upload(jobId, new TextEncoder().encode("12345"));
    const short = await agent.complete(jobId, [{ ...uploaded, bytes: 4 }]);
    assert.equal(short.status, 422);
    assert.match(short.body.error.message, /storage holds 5 bytes, not 4/);
    assert.equal((await job()).job.state, "leased");

    const done = await agent.complete(jobId, [uploaded]);
    assert.equal(done.status, 200);
    assert.equal(
      done.body.takes[0].take,
      2,
      "take numbers are never reused, even for an unfinished reservation",
    );
    const twice = await agent.complete(jobId, [uploaded]);
    assert.equal(twice.status, 200, "completing twice is harmless");
    assert.deepEqual(
      twice.body.takes.map((x: { id: string }) => x.id),
      done.body.takes.map((x: { id: string }) => x.id),
    );
    const { job: finished, events } = await job();
    assert.equal(finished.state, "succeeded");
    assert.equal(events.filter((e: { to: string }) => e.to === "succeeded").length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("a run whose completion comes after the reaper took the job back is accepted until another agent claims it", async () => {
  const { t, owner, agent, jobId, job } = await setup();
  try {
    const claimed = await agent.claim();
    const uploaded = await agent.upload(jobId, new TextEncoder().encode("12345"));
    t.advance(claimed!.leaseMs + 1);
    assert.deepEqual(await reapExpiredLeases(t.deps), { requeued: 1, failed: 0 });
    const stranger = await enrollAgent(t, owner);
    const refused = await stranger.complete(jobId, [uploaded]);
    assert.equal(refused.status, 404, "only the agent that ran it may complete it");

    const done = await agent.complete(jobId, [uploaded]);
    assert.equal(done.status, 200);
    assert.equal(done.body.takes.length, 1);
    assert.equal((await agent.complete(jobId, [uploaded])).status, 200, "again: same answer");
    const { job: finished } = await job();
    assert.equal(finished.state, "succeeded");
    assert.equal(finished.attempt, 1);
    assert.equal(finished.agentId, agent.id);
    assert.equal(finished.error, null);
    assert.equal(await stranger.claim(), null, "nothing left to run");
  } finally {
    await t.close();
  }
});

Deno.test("once another agent claimed the reaped job, the late completion is refused and changes nothing", async () => {
  const { t, owner, agent, jobId, job } = await setup();
  try {
    const claimed = await agent.claim();
    const uploaded = await agent.upload(jobId, new TextEncoder().encode("12345"));
    t.advance(claimed!.leaseMs + 1);
    await reapExpiredLeases(t.deps);
    const other = await enrollAgent(t, owner);
    assert.equal((await other.claim())?.attempt, 2);
    const late = await agent.complete(jobId, [uploaded]);
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "lease_lost");
    const { job: running } = await job();
    assert.equal(running.state, "leased");
    assert.equal(running.agentId, other.id);
  } finally {
    await t.close();
  }
});

Deno.test("progress previews are kept as the job's latest frame", async () => {
  const { t, owner, agent, jobId, job } = await setup();
  try {
    await agent.claim();
    const res = await agent.event(jobId, 30, {
      preview: { contentType: "image/png", base64: "iVBORw0KGgo=" },
    });
    assert.equal(res.status, 200);
    // Served from a route of our own origin: the page's CSP does not take `data:` images.
    const url = (await job()).preview.url;
    assert.match(url, new RegExp(`^/api/projects/[^/]+/jobs/${jobId}/preview\\?at=\\d+$`));
    const image = await t.app.request(url, { headers: { authorization: `Bearer ${owner.token}` } });
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.equal(
      btoa(String.fromCharCode(...new Uint8Array(await image.arrayBuffer()))),
      "iVBORw0KGgo=",
    );
    const bad = await agent.event(jobId, 30, {
      preview: { contentType: "text/html", base64: "PGI+" },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.issues[0].path, "preview.contentType");
  } finally {
    await t.close();
  }
});

Deno.test("a run lost to the agent's backend spends no attempt; the bounded count still ends the job", async () => {
  const { t, owner, projectId, agent, jobId, job } = await setup();
  try {
    const backendDown = (reason: string) =>
      agent.call("POST", `/jobs/${jobId}/fail`, { reason, retriable: true, infrastructure: true });
    for (let run = 1; run < 5; run++) {
      assert.equal((await agent.claim())?.attempt, 1, "the same attempt each time");
      const res = await backendDown("ComfyUI stopped answering during the run");
      assert.deepEqual(res.body, { state: "queued", attempt: 0, maxAttempts: 3 });
      assert.equal((await job()).job.infraFailures, run);
    }
    await agent.claim();
    const last = await backendDown("ComfyUI stopped answering during the run");
    assert.equal(last.body.state, "failed");
    const { job: failed, events } = await job();
    assert.equal(
      failed.error,
      "failed: the backend went away during 5 runs of this job (last: ComfyUI stopped answering during the run)",
    );
    assert.equal(events.filter((e: { to: string }) => e.to === "leased").length, 5);
    assert.match(events[2].message, /backend went away on .* \(no attempt spent\)/);
    const retried = await call(t, "POST", `/api/projects/${projectId}/jobs/${jobId}/retry`, {
      token: owner.token,
    });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.job.infraFailures, 0, "a retry starts the count afresh");
  } finally {
    await t.close();
  }
});

Deno.test("a job handed back as cannotRun is not offered to that agent again until its profile changes", async () => {
  const { t, owner, agent, jobId, job } = await setup();
  try {
    const other = await enrollAgent(t, owner, agentProfile());
    await agent.claim();
    const res = await agent.call("POST", `/jobs/${jobId}/release`, {
      reason: "no template fits",
      cannotRun: true,
    });
    assert.deepEqual(res.body, { state: "queued", attempt: 0, maxAttempts: 3 });
    assert.equal(await agent.claim(), null, "not offered again to the agent that handed it back");
    assert.equal(await agent.heartbeat(agentProfile()).then((r) => r.status), 200);
    assert.equal(await agent.claim(), null, "the same profile: still not offered");
    assert.equal((await other.claim())?.id, jobId, "another agent may take it");
    await other.release(jobId);
    await agent.heartbeat(agentProfile({ models: ["new.safetensors"] }));
    assert.equal((await agent.claim())?.id, jobId, "a changed profile may run it");
    assert.match(
      (await job()).events.find((e: { message: string }) => /cannot run it/.test(e.message))
        .message,
      /handed back by .*, which cannot run it: no template fits/,
    );
  } finally {
    await t.close();
  }
});

Deno.test("GET /me checks an agent's credentials and changes nothing about it", async () => {
  const { t, agent } = await setup();
  try {
    const [before] = await t.db.select().from(agents).where(eq(agents.id, agent.id));
    t.advance(60_000);
    const me = await agent.call("GET", "/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.agentId, agent.id);
    const [after] = await t.db.select().from(agents).where(eq(agents.id, agent.id));
    assert.deepEqual(after, before, "not even last seen");
    const wrong = await call(t, "GET", "/api/agent/v1/me", { token: `${agent.id}.nope` });
    assert.equal(wrong.status, 401);
  } finally {
    await t.close();
  }
});

Deno.test("an event's rationale is stored as the job's; a bad one is refused, naming it", async () => {
  const { t, agent, jobId, job } = await setup();
  try {
    assert.ok(await agent.claim());
    assert.equal((await agent.event(jobId, 1)).status, 200);
    assert.equal((await job()).job.rationale, null);
    const why = "wan2gp profile 4: 12 GB VRAM, 32 GB RAM; chosen over ComfyUI: its " +
      "shot.generate.standard template needs 15 of 16 GB";
    assert.equal((await agent.event(jobId, 2, { rationale: why })).status, 200);
    assert.equal((await job()).job.rationale, why);
    for (const bad of ["x".repeat(401), "   ", 7]) {
      const res = await agent.event(jobId, 3, { rationale: bad });
      assert.equal(res.status, 422);
      assert.match(JSON.stringify(res.body.error), /rationale/);
    }
    assert.equal((await job()).job.rationale, why, "unchanged by the refused events");
  } finally {
    await t.close();
  }
});
