import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { jobs } from "../../../db/schema/mod.ts";
import { agentProfile, CARD_MIB, enrollAgent } from "../../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../../test/jobs/graphs.ts";
import { addMember, call, createProject, createTestApp, signUp } from "../../testing.ts";

const graph = graphOf([
  node("shot1", "shot.generate", { prompt: "a red door" }),
  node("shot2", "shot.generate", { prompt: "a blue door" }),
  node("img1", "image.generate", { prompt: "a keyframe" }),
]);

async function setup(overrides: Record<string, string> = {}) {
  const t = await createTestApp(overrides);
  const owner = await signUp(t, "Ada");
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, graph);
  const generate = (nodeId: string, body: Record<string, unknown>) =>
    call(t, "POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, {
      token: owner.token,
      body,
    });
  return { t, owner, projectId, generate };
}

const shot = (extra: Record<string, unknown> = {}) => ({
  type: "shot.generate",
  params: { prompt: "door" },
  ...extra,
});

Deno.test("a 12 GB agent never gets a 24 GB job, and the job says why it waits", async () => {
  const { t, owner, generate } = await setup();
  try {
    const small = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb12 }));
    const queued = await generate("shot1", shot({ tier: "high", allowDowngrade: false }));
    assert.equal(queued.body.job.tier, "high");
    assert.equal(queued.body.job.waiting.reason, "not_enough_vram");
    assert.match(
      queued.body.job.waiting.message,
      /needs 24 GB of VRAM; the largest online GPU has 12 GB/,
    );
    assert.equal(await small.claim(), null);
    const big = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }));
    assert.equal((await big.claim())?.id, queued.body.job.id);
  } finally {
    await t.close();
  }
});

Deno.test("an agent without ComfyUI, or with it unhealthy, never gets a ComfyUI job", async () => {
  const { t, owner, generate } = await setup();
  try {
    const cpu = await enrollAgent(t, owner, agentProfile({ backends: ["ffmpeg"] }));
    const broken = await enrollAgent(
      t,
      owner,
      agentProfile({ backends: ["ffmpeg"], unhealthy: ["comfyui"] }),
    );
    const queued = await generate("img1", { type: "image.generate", params: { prompt: "key" } });
    assert.equal(queued.body.job.waiting.reason, "no_backend");
    assert.match(
      queued.body.job.waiting.message,
      /no online agent has ComfyUI or a Gradio app or Docker running/,
    );
    assert.equal(await cpu.claim(), null);
    assert.equal(await broken.claim(), null);
    const fixed = await broken.heartbeat(agentProfile({ backends: ["ffmpeg", "comfyui"] }));
    assert.equal(fixed.status, 200);
    assert.equal(
      (await broken.claim())?.id,
      queued.body.job.id,
      "a healthy ComfyUI in the heartbeat makes it fit",
    );
  } finally {
    await t.close();
  }
});

Deno.test("an agent lacking a model the job needs is not offered it", async () => {
  const { t, owner, generate } = await setup();
  try {
    const queued = await generate("shot1", shot());
    await t.db.update(jobs).set({ models: ["wan2.1_t2v_14B.safetensors"] }).where(
      eq(jobs.id, queued.body.job.id),
    );
    const without = await enrollAgent(t, owner, agentProfile({ models: ["sdxl.safetensors"] }));
    assert.equal(await without.claim(), null);
    const detail = await call(
      t,
      "GET",
      `/api/projects/${queued.body.job.projectId}/jobs/${queued.body.job.id}`,
      { token: owner.token },
    );
    assert.equal(detail.body.job.waiting.reason, "missing_model");
    const withModel = await enrollAgent(
      t,
      owner,
      agentProfile({ models: ["wan2.1_t2v_14B.safetensors"] }),
    );
    assert.equal((await withModel.claim())?.id, queued.body.job.id);
  } finally {
    await t.close();
  }
});

Deno.test("with downgrade allowed, a job no online agent can meet moves to the best feasible tier and says why", async () => {
  const { t, owner, generate } = await setup();
  try {
    const none = await generate("shot2", shot({ tier: "high" }));
    assert.equal(none.body.job.tier, "high", "with nobody online nothing is known: no downgrade");
    assert.equal(none.body.job.waiting.reason, "no_agent_online");
    await call(
      t,
      "POST",
      `/api/projects/${none.body.job.projectId}/jobs/${none.body.job.id}/cancel`,
      { token: owner.token },
    );

    const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb16 }));
    const allowed = await generate("shot1", shot({ tier: "high" }));
    assert.equal(allowed.body.job.tier, "standard");
    assert.equal(allowed.body.job.requestedTier, "high");
    assert.equal(allowed.body.job.rationale, "high→standard: largest online GPU 16 GB");
    const refused = await generate("shot2", shot({ tier: "high", allowDowngrade: false }));
    assert.equal(refused.body.job.tier, "high");
    assert.equal(refused.body.job.rationale, null);
    const claimed = await agent.claim();
    assert.equal(claimed?.id, allowed.body.job.id);
    assert.equal(claimed?.tier, "standard");
    assert.equal(await agent.claim(), null, "concurrency 1: one job at a time");
  } finally {
    await t.close();
  }
});

Deno.test("only agents of the project's owners and editors get its jobs", async () => {
  const { t, owner, projectId, generate } = await setup();
  try {
    const editor = await signUp(t, "Ed");
    const reviewer = await signUp(t, "Rev");
    const outsider = await signUp(t, "Out");
    for (const [user, role] of [[editor, "editor"], [reviewer, "reviewer"]] as const) {
      await addMember(t, projectId, owner, user, role);
    }
    const outsiderAgent = await enrollAgent(t, outsider);
    const reviewerAgent = await enrollAgent(t, reviewer);
    const editorAgent = await enrollAgent(t, editor);
    const queued = await generate("shot1", shot());
    assert.equal(await outsiderAgent.claim(), null);
    assert.equal(await reviewerAgent.claim(), null);
    assert.equal((await editorAgent.claim())?.id, queued.body.job.id);
  } finally {
    await t.close();
  }
});

Deno.test("jobs are claimed by priority, then oldest first", async () => {
  const { t, owner, generate } = await setup();
  try {
    const agent = await enrollAgent(t, owner, agentProfile({ concurrency: 3 }));
    const first = await generate("shot1", shot());
    t.advance(10);
    const urgent = await generate("shot2", shot({ priority: 5 }));
    t.advance(10);
    const last = await generate("img1", { type: "image.generate", params: { prompt: "k" } });
    const order = [await agent.claim(), await agent.claim(), await agent.claim()].map((j) => j?.id);
    assert.deepEqual(order, [urgent.body.job.id, first.body.job.id, last.body.job.id]);
  } finally {
    await t.close();
  }
});

Deno.test("a waiting claim is woken by a job queued in the same process", async () => {
  // Re-checks are set far apart: only the in-process wake-up can deliver the job in time.
  const { t, owner, generate } = await setup({ CLAIM_RECHECK_MS: "600000" });
  try {
    const agent = await enrollAgent(t, owner);
    const waiting = agent.claim(20_000);
    while (t.deps.dispatcher.waiting === 0) await new Promise((r) => setTimeout(r, 1));
    const queued = await generate("shot1", shot());
    assert.equal((await waiting)?.id, queued.body.job.id);
  } finally {
    await t.close();
  }
});

Deno.test("a waiting claim follows a heartbeat that took ComfyUI off the agent's profile", async () => {
  const { t, owner, generate } = await setup();
  try {
    const agent = await enrollAgent(t, owner);
    const waiting = agent.claim(1_500);
    while (t.deps.dispatcher.waiting === 0) await new Promise((r) => setTimeout(r, 1));
    await agent.heartbeat(agentProfile({ backends: ["ffmpeg"], unhealthy: ["comfyui"] }));
    await generate("img1", { type: "image.generate", params: { prompt: "key" } });
    assert.equal(await waiting, null, "not offered a ComfyUI job after saying ComfyUI is down");
  } finally {
    await t.close();
  }
});

Deno.test("a client that disconnects stops its claim and leaves nothing waiting", async () => {
  const { t, owner } = await setup();
  try {
    const agent = await enrollAgent(t, owner);
    const controller = new AbortController();
    const res = t.app.request("/api/agent/v1/claim", {
      method: "POST",
      headers: { authorization: `Bearer ${agent.credential}`, "content-type": "application/json" },
      body: JSON.stringify({ waitMs: 25_000 }),
      signal: controller.signal,
    });
    while (t.deps.dispatcher.waiting === 0) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    const body = await (await res).json();
    assert.deepEqual(body, { job: null });
    assert.equal(t.deps.dispatcher.waiting, 0);
  } finally {
    await t.close();
  }
});

Deno.test("bad claim bodies are refused with the field named; only agent credentials are accepted", async (test) => {
  const { t, owner } = await setup();
  try {
    const agent = await enrollAgent(t, owner);
    const bad = await agent.call("POST", "/claim", { waitMs: 60_000 });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.issues[0].path, "waitMs");
    const notJson = await call(t, "POST", "/api/agent/v1/claim", {
      token: agent.credential,
      body: "{oops",
    });
    assert.equal(notJson.status, 400);
    await test.step("unauthenticated claims get 401", async () => {
      assert.equal((await call(t, "POST", "/api/agent/v1/claim", { body: {} })).status, 401);
      const forged = `${agent.id}.not-the-secret`;
      assert.equal(
        (await call(t, "POST", "/api/agent/v1/claim", { token: forged, body: {} })).status,
        401,
      );
      const session = await call(t, "POST", "/api/agent/v1/claim", {
        token: owner.token,
        body: {},
      });
      assert.equal(session.status, 401, "a user session is not an agent credential");
    });
  } finally {
    await t.close();
  }
});
