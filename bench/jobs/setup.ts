/**
 * A fresh edge (in-process, embedded database in a temp folder) with one project, one node and
 * enrolled agents, plus a fast way to fill the queue for throughput runs.
 */
import { jobs } from "../../db/schema/mod.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../../edge/testing.ts";
import { enqueueJob } from "../../edge/services/jobs/enqueue.ts";
import { agentProfile, enrollAgent, type FakeAgent } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";

export interface Bench {
  t: TestApp;
  owner: { id: string; token: string };
  projectId: string;
  /** Queues one job through the HTTP API, as the studio does. */
  generate(): Promise<string>;
  /** Fills the queue with `count` jobs straight into the database (setup, not measured). */
  fill(count: number): Promise<void>;
  agents(count: number, concurrency: number): Promise<FakeAgent[]>;
}

export async function benchEdge(): Promise<Bench> {
  const t = await createTestApp();
  const owner = await signUp(t, "Bench");
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, graphOf([node("n1", "image.generate", { prompt: "a keyframe" })]));
  const body = { type: "image.generate", params: { prompt: "a keyframe" } };
  return {
    t,
    owner,
    projectId,
    async generate() {
      const res = await call(t, "POST", `/api/projects/${projectId}/nodes/n1/generate`, {
        token: owner.token,
        body,
      });
      if (res.status !== 201) {
        throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body.job.id;
    },
    async fill(count) {
      const { job } = await enqueueJob(t.deps, {
        projectId,
        nodeId: "n1",
        userId: owner.id,
        body: { ...body, tier: "standard", allowDowngrade: true, priority: 0 },
      });
      const base = job.createdAt;
      for (let i = 1; i < count; i += 500) {
        const rows = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
          ...job,
          id: crypto.randomUUID(),
          createdAt: base + i + j,
          updatedAt: base + i + j,
        }));
        await t.db.insert(jobs).values(rows);
      }
    },
    agents(count, concurrency) {
      return Promise.all(
        Array.from({ length: count }, () => enrollAgent(t, owner, agentProfile({ concurrency }))),
      );
    },
  };
}
