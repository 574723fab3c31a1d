/** Agents stay inside their owner's projects; bad input gets a 4xx JSON error and changes nothing. */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { call, createProject, createTestApp, signUp, type TestApp } from "../../edge/testing.ts";
import { enrollAgent } from "./fake_agent.ts";
import { oneShot, saveGraph } from "./graphs.ts";
import { shotProject } from "./shot_job.ts";

async function snapshot(t: TestApp) {
  return await t.db.all(sql`select
    (select count(*) from jobs) as jobs, (select count(*) from job_events) as events,
    (select count(*) from takes) as takes, (select group_concat(state || attempt) from jobs) as states`);
}

Deno.test("an agent cannot read, run or write another owner's jobs", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const eve = await signUp(t, "Eve");
    const projectId = await createProject(t, ada);
    await saveGraph(t, projectId, oneShot());
    const adas = await enrollAgent(t, ada);
    const eves = await enrollAgent(t, eve);
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: ada.token,
      body: { type: "shot.generate", params: { prompt: "secret film" } },
    });
    const jobId = queued.body.job.id;
    assert.equal(await eves.claim(), null);
    await adas.claim();
    const { takeId } = (await adas.call("POST", `/jobs/${jobId}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    })).body;
    const before = await snapshot(t);
    for (
      const [path, body] of [
        [`/jobs/${jobId}/events`, { percent: 99, message: "mine now" }],
        [`/jobs/${jobId}/outputs`, { ext: "mp4", contentType: "video/mp4" }],
        [`/jobs/${jobId}/complete`, {
          outputs: [{ takeId: "x", bytes: 1, sha256: "0".repeat(64), contentType: "video/mp4" }],
        }],
        [`/jobs/${jobId}/fail`, { reason: "sabotage", retriable: false }],
        [`/jobs/${jobId}/release`, {}],
        [`/jobs/${jobId}/takes/${takeId}/description`, {
          media: { durationSeconds: 1, fps: 24, width: 64, height: 64, hasAudio: false },
        }],
      ] as const
    ) {
      const res = await eves.call("POST", path, body);
      assert.equal(res.status, 404, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "not_found");
    }
    assert.deepEqual(await snapshot(t), before);
    const asUser = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
      token: eve.token,
    });
    assert.equal(asUser.status, 404, "and Eve herself cannot see Ada's project");
    assert.equal(t.notifier.events.filter((e) => e.event.type === "progress.update").length, 0);
  } finally {
    await t.close();
  }
});

Deno.test("bad agent input gets a 4xx JSON error naming the field and changes nothing", async () => {
  const t = await createTestApp();
  try {
    const { agent, generate } = await shotProject(t);
    await generate();
    const job = await agent.claim();
    const before = await snapshot(t);
    const cases: Array<[string, unknown, number, string]> = [
      [`/jobs/${job!.id}/events`, { percent: 101 }, 422, "percent"],
      [`/jobs/${job!.id}/events`, { percent: "half" }, 422, "percent"],
      [`/jobs/${job!.id}/outputs`, { ext: "../mp4", contentType: "video/mp4" }, 422, "ext"],
      [`/jobs/${job!.id}/outputs`, { ext: "mp4", contentType: "video" }, 422, "contentType"],
      [`/jobs/${job!.id}/complete`, { outputs: [] }, 422, "outputs"],
      [
        `/jobs/${job!.id}/complete`,
        { outputs: [{ takeId: "t", bytes: -1, sha256: "xyz", contentType: "video/mp4" }] },
        422,
        "outputs.0",
      ],
      [`/jobs/${job!.id}/fail`, { reason: "", retriable: true }, 422, "reason"],
      [`/jobs/${job!.id}/takes/${crypto.randomUUID()}/description`, {}, 422, "media"],
      [
        `/jobs/${job!.id}/takes/${crypto.randomUUID()}/description`,
        { media: { durationSeconds: 1, fps: "24", width: 64, height: 64, hasAudio: false } },
        422,
        "media.fps",
      ],
      [`/jobs/${job!.id}/takes/not-a-uuid/description`, { media: {} }, 400, "takeId"],
      [`/jobs/not-a-uuid/events`, { percent: 1 }, 400, "id"],
      ["/heartbeat", { profile: { hostname: "x" } }, 422, "profile"],
      ["/enroll", { token: "", profile: {} }, 422, "token"],
    ];
    for (const [path, body, status, field] of cases) {
      const res = await agent.call("POST", path, body);
      assert.equal(
        res.status,
        status,
        `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
      );
      assert.ok(
        res.body.error.issues.some((i: { path: string }) => i.path.startsWith(field)),
        `${path}: names ${field} in ${JSON.stringify(res.body.error)}`,
      );
    }
    const text = await call(t, "POST", `/api/agent/v1/jobs/${job!.id}/events`, {
      token: agent.credential,
      body: "percent=5",
      headers: { "content-type": "text/plain" },
    });
    assert.equal(text.status, 415);
    const huge = await agent.call("POST", `/jobs/${job!.id}/events`, {
      percent: 1,
      message: "x".repeat(2 * 1024 * 1024),
    });
    assert.equal(huge.status, 413);
    assert.deepEqual(await snapshot(t), before);
  } finally {
    await t.close();
  }
});
