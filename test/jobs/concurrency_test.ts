/**
 * The queue under load: many agents claiming at once, in one edge process and across two edge
 * processes sharing the database file (as several instances would share Turso). Every job must
 * run exactly once: never lost, never leased to two agents.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { call, createProject, createTestApp, signUp, type TestApp } from "../../edge/testing.ts";
import { agentProfile, enrollAgent, type FakeAgent } from "./fake_agent.ts";
import { graphOf, node, saveGraph } from "./graphs.ts";

async function queueJobs(
  t: TestApp,
  token: string,
  projectId: string,
  count: number,
  nodes: number,
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from(
      { length: Math.min(50, count - i) },
      (_, j) =>
        call(t, "POST", `/api/projects/${projectId}/nodes/n${(i + j) % nodes}/generate`, {
          token,
          body: {
            type: "image.generate",
            params: {
              prompt: `frame ${i + j}`,
              shot: `SHOT-${String((i + j) % nodes).padStart(3, "0")}`,
            },
          },
        }),
    );
    for (const res of await Promise.all(batch)) {
      assert.equal(res.status, 201);
      ids.push(res.body.job.id);
    }
  }
  return ids;
}

/** Claims and runs jobs until a claim comes back empty; returns the ids it ran. */
async function work(agent: FakeAgent): Promise<string[]> {
  const ran: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const job = await agent.claim(0);
    if (!job) return ran;
    ran.push(job.id);
    await agent.finish(job);
  }
  throw new Error("an agent never ran out of work");
}

async function assertEachRanOnce(t: TestApp, ids: string[], ran: string[]) {
  assert.equal(ran.length, ids.length, "as many runs as jobs");
  assert.deepEqual([...new Set(ran)].sort(), [...ids].sort(), "every job ran, none twice");
  const rows = await t.db.all<{ state: string; leases: number; n: number }>(sql`
    select j.state as state, (select count(*) from job_events e where e.job_id = j.id and e.to_state = 'leased') as leases,
      count(*) as n from jobs j group by j.state, leases`);
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ state: "succeeded", leases: 1, n: ids.length }]);
  const [takes] = await t.db.all<{ n: number; distinct_numbers: number }>(sql`
    select count(*) as n, count(distinct scene || shot || version || '/' || take) as distinct_numbers from takes where state = 'ready'`);
  assert.deepEqual({ ...takes }, { n: ids.length, distinct_numbers: ids.length });
}

Deno.test("50 agents claiming 1,000 jobs at once: every job runs exactly once, none is lost", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const projectId = await createProject(t, owner);
    const nodes = 20;
    await saveGraph(
      t,
      projectId,
      graphOf(Array.from({ length: nodes }, (_, i) => node(`n${i}`, "image.generate"))),
    );
    const agents = await Promise.all(
      Array.from({ length: 50 }, () => enrollAgent(t, owner, agentProfile())),
    );
    const ids = await queueJobs(t, owner.token, projectId, 1000, nodes);
    const ran = (await Promise.all(agents.map(work))).flat();
    await assertEachRanOnce(t, ids, ran);
  } finally {
    await t.close();
  }
});

Deno.test("two edge instances on one database never lease a job twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-two-edges-" });
  const databaseUrl = `file:${dir}/app.db`;
  const a = await createTestApp({ DATABASE_URL: databaseUrl, BLOB_DIR: `${dir}/blobs` });
  const b = await createTestApp({ DATABASE_URL: databaseUrl, BLOB_DIR: `${dir}/blobs` });
  try {
    const owner = await signUp(a, "Ada");
    const projectId = await createProject(a, owner);
    await saveGraph(
      a,
      projectId,
      graphOf(Array.from({ length: 10 }, (_, i) => node(`n${i}`, "image.generate"))),
    );
    const onA = await Promise.all(Array.from({ length: 10 }, () => enrollAgent(a, owner)));
    const onB = (await Promise.all(Array.from({ length: 10 }, () => enrollAgent(a, owner))))
      .map((agent) =>
        Object.assign(Object.create(Object.getPrototypeOf(agent)), agent, { t: b }) as FakeAgent
      );
    const ids = await queueJobs(a, owner.token, projectId, 300, 10);
    const ran = (await Promise.all([...onA, ...onB].map(work))).flat();
    await assertEachRanOnce(a, ids, ran);
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
