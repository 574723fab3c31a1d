import assert from "node:assert/strict";
import {
  agentProfile,
  CARD_MIB,
  enrollAgent,
  type FakeAgent,
} from "../../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../../testing.ts";
import { agentForCredential, type CallingAgent } from "../agents.ts";
import { claimJob } from "./claim.ts";

async function setup() {
  const t = await createTestApp();
  const owner = await signUp(t, "Ada");
  const projectId = await createProject(t, owner);
  await saveGraph(
    t,
    projectId,
    graphOf(["a", "b", "c"].map((id) => node(id, "shot.generate", { prompt: id }))),
  );
  const generate = async (nodeId: string, extra: Record<string, unknown> = {}) => {
    const res = await call(t, "POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: nodeId }, ...extra },
    });
    assert.equal(res.status, 201);
    t.advance(10);
    return res.body.job.id as string;
  };
  const agent = async (profile = agentProfile()) => {
    const enrolled = await enrollAgent(t, owner, profile);
    return { enrolled, calling: await callingAgent(t, enrolled) };
  };
  return { t, owner, projectId, generate, agent };
}

async function callingAgent(t: TestApp, agent: FakeAgent): Promise<CallingAgent> {
  const calling = await agentForCredential(t.deps, agent.credential);
  assert.ok(calling);
  return calling;
}

Deno.test("agents claiming at the same moment: the first to ask gets the best job, and no job goes to two", async () => {
  const { t, owner, projectId, generate, agent } = await setup();
  try {
    const old = await generate("a");
    const urgent = await generate("b", { priority: 5 });
    const agents = await Promise.all([agent(), agent(), agent()]);
    const claims = await Promise.all(agents.map((a) => claimJob(t.deps, a.calling)));
    assert.deepEqual(claims.map((j) => j?.id ?? null), [urgent, old, null]);
    for (const [i, jobId] of [urgent, old].entries()) {
      const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
        token: owner.token,
      });
      assert.equal(detail.body.job.agentId, agents[i]!.calling.id);
      const leased = detail.body.events.filter((e: { to: string }) => e.to === "leased");
      assert.equal(leased.length, 1, "one event per lease");
      assert.equal(leased[0].agentId, agents[i]!.calling.id);
      assert.equal(leased[0].message, "leased to render-box");
    }
  } finally {
    await t.close();
  }
});

Deno.test("an agent that may hold one job gets one, even when it asks twice at once", async () => {
  const { t, generate, agent } = await setup();
  try {
    await generate("a");
    await generate("b");
    const one = await agent(agentProfile({ concurrency: 1 }));
    const both = await Promise.all([claimJob(t.deps, one.calling), claimJob(t.deps, one.calling)]);
    assert.equal(both.filter((j) => j !== null).length, 1);
    const two = await agent(agentProfile({ concurrency: 2 }));
    const pair = await Promise.all([claimJob(t.deps, two.calling), claimJob(t.deps, two.calling)]);
    assert.equal(pair.filter((j) => j !== null).length, 1, "the last queued job, once");
  } finally {
    await t.close();
  }
});

Deno.test("agents with different cards claiming at once each get only jobs they can run", async () => {
  const { t, generate, agent } = await setup();
  try {
    const big = await generate("a", { tier: "high", allowDowngrade: false });
    const small = await generate("b", { tier: "low", allowDowngrade: false });
    const card12 = await agent(agentProfile({ vramMiB: CARD_MIB.gb12 }));
    const card24 = await agent(agentProfile({ vramMiB: CARD_MIB.gb24 }));
    // The 12 GB agent asks first; the older 24 GB job must still wait for the 24 GB card.
    const [got12, got24] = await Promise.all([
      claimJob(t.deps, card12.calling),
      claimJob(t.deps, card24.calling),
    ]);
    assert.equal(got12?.id, small);
    assert.equal(got24?.id, big);
  } finally {
    await t.close();
  }
});
