import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { agents } from "../../db/schema/mod.ts";
import { agentProfile, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { oneShot, saveGraph } from "../../test/jobs/graphs.ts";
import { addMember, call, createProject, createTestApp, signUp } from "../testing.ts";

Deno.test("an enrollment token works once; the secret is stored only hashed", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const created = await call(t, "POST", "/api/agents/enrollment-tokens", { token: ada.token });
    assert.equal(created.status, 201);
    const body = { token: created.body.token, profile: agentProfile(), name: "Studio 4090" };
    const [first, second] = await Promise.all([
      call(t, "POST", "/api/agent/v1/enroll", { body }),
      call(t, "POST", "/api/agent/v1/enroll", { body }),
    ]);
    assert.deepEqual(
      [first.status, second.status].sort(),
      [201, 401],
      "two agents racing with one token: one wins",
    );
    const winner = first.status === 201 ? first : second;
    const loser = first.status === 201 ? second : first;
    assert.equal(loser.body.error.code, "bad_enrollment_token");
    const [row] = await t.db.select().from(agents).where(eq(agents.id, winner.body.agentId));
    assert.equal(row!.name, "Studio 4090");
    assert.ok(!row!.secretHash.includes(winner.body.secret));
    assert.equal(row!.secretHash.length, 64);
    const again = await call(t, "POST", "/api/agent/v1/enroll", { body });
    assert.equal(again.status, 401, "a used token stays used");
  } finally {
    await t.close();
  }
});

Deno.test("an enrollment token expires after 15 minutes", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const created = await call(t, "POST", "/api/agents/enrollment-tokens", { token: ada.token });
    assert.equal(created.body.expiresAt - t.deps.now() <= 15 * 60_000, true);
    t.advance(15 * 60_000 + 1);
    const res = await call(t, "POST", "/api/agent/v1/enroll", {
      body: { token: created.body.token, profile: agentProfile() },
    });
    assert.equal(res.status, 401);
    assert.equal((await t.db.select().from(agents)).length, 0);
  } finally {
    await t.close();
  }
});

Deno.test("agents are listed with liveness: unseen for three heartbeat intervals is offline", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const agent = await enrollAgent(t, ada, agentProfile({ vramMiB: 16376 }), "Box");
    const list = async () =>
      (await call(t, "GET", "/api/agents", { token: ada.token })).body.agents;
    assert.equal((await list())[0].online, true);
    assert.equal((await list())[0].maxVramMiB, 16376);
    t.advance(3 * t.config.HEARTBEAT_INTERVAL_MS + 1);
    assert.equal((await list())[0].online, false);
    assert.equal((await agent.heartbeat(agentProfile({ vramMiB: 24564 }))).status, 200);
    const [back] = await list();
    assert.equal(back.online, true);
    assert.equal(back.maxVramMiB, 24564, "the heartbeat's profile replaces the old one");
    const other = await signUp(t, "Eve");
    assert.deepEqual((await call(t, "GET", "/api/agents", { token: other.token })).body.agents, []);
  } finally {
    await t.close();
  }
});

Deno.test("owners rename their agents; nobody else can rename or revoke them", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const eve = await signUp(t, "Eve");
    const agent = await enrollAgent(t, ada);
    const renamed = await call(t, "PATCH", `/api/agents/${agent.id}`, {
      token: ada.token,
      body: { name: "Render farm 1" },
    });
    assert.equal(renamed.body.agent.name, "Render farm 1");
    assert.equal(
      (await call(t, "PATCH", `/api/agents/${agent.id}`, {
        token: eve.token,
        body: { name: "mine" },
      })).status,
      404,
    );
    assert.equal(
      (await call(t, "DELETE", `/api/agents/${agent.id}`, { token: eve.token })).status,
      404,
    );
    assert.equal(
      (await call(t, "PATCH", `/api/agents/${agent.id}`, { token: ada.token, body: { name: " " } }))
        .status,
      422,
    );
    assert.equal((await call(t, "GET", "/api/agents")).status, 401);
    assert.equal(
      (await agent.heartbeat(agentProfile())).status,
      200,
      "Eve's attempts changed nothing",
    );
  } finally {
    await t.close();
  }
});

Deno.test("a revoked agent gets 401 at once and its job returns to the queue", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const projectId = await createProject(t, ada);
    await saveGraph(t, projectId, oneShot());
    const agent = await enrollAgent(t, ada);
    await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: ada.token,
      body: { type: "shot.generate", params: { prompt: "door" } },
    });
    const job = await agent.claim();
    assert.ok(job);
    assert.equal(
      (await call(t, "DELETE", `/api/agents/${agent.id}`, { token: ada.token })).status,
      204,
    );
    const event = await agent.event(job.id);
    assert.equal(event.status, 401);
    assert.equal(event.body.error.code, "unauthorized");
    const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${job.id}`, {
      token: ada.token,
    });
    assert.equal(detail.body.job.state, "queued");
    assert.equal(
      detail.body.job.attempt,
      0,
      "the revoked agent's run does not count against the job",
    );
    assert.deepEqual((await call(t, "GET", "/api/agents", { token: ada.token })).body.agents, []);
    const replacement = await enrollAgent(t, ada);
    assert.equal((await replacement.claim())?.id, job.id);
  } finally {
    await t.close();
  }
});

/** A ComfyUI that runs Shot at standard, and has the Shot-at-high template but lacks its model. */
function shotRig(vramMiB: number) {
  const profile = agentProfile({ vramMiB, backends: ["comfyui"] });
  profile.backends[0]!.runnable = [{ nodeType: "shot.generate", tier: "standard" }];
  profile.backends[0]!.blocked = [{
    nodeType: "shot.generate",
    tier: "high",
    template: "shot_high",
    missingModels: [{ folder: "diffusion_models", file: "wan2.1_t2v_14B.safetensors" }],
    missingClasses: [],
  }];
  return profile;
}

Deno.test("every member sees the agents that serve the project: names, VRAM and what they run, no owners", async () => {
  const t = await createTestApp();
  try {
    const ana = await signUp(t, "Ana");
    const ben = await signUp(t, "Ben");
    const rev = await signUp(t, "Rev");
    const out = await signUp(t, "Out");
    const id = await createProject(t, ana);
    await addMember(t, id, ana, ben, "editor");
    await addMember(t, id, ana, rev, "reviewer");
    await enrollAgent(t, ana, shotRig(24564), "ana-rig");
    await enrollAgent(t, ben, agentProfile({ vramMiB: 12282, backends: ["ffmpeg"] }), "ben-box");
    // A reviewer's agent runs none of the project's jobs; an outsider's has nothing to do with it.
    await enrollAgent(t, rev, agentProfile(), "rev-rig");
    await enrollAgent(t, out, agentProfile(), "out-rig");

    const seen = await call(t, "GET", `/api/projects/${id}/agents`, { token: rev.token });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.agents.map((a: { name: string }) => a.name), ["ana-rig", "ben-box"]);
    const [anas, bens] = seen.body.agents;
    assert.deepEqual(anas.gpus, [{ name: "NVIDIA GeForce RTX", vramTotalMiB: 24564 }]);
    assert.equal(bens.maxVramMiB, 12282);
    assert.equal(anas.online, true);
    assert.deepEqual(anas.runnable, [{
      nodeType: "shot.generate",
      title: "Shot",
      tier: "standard",
    }]);
    assert.deepEqual(anas.blocked, [{
      nodeType: "shot.generate",
      title: "Shot",
      tier: "high",
      template: "shot_high",
      missingModels: [{ folder: "diffusion_models", file: "wan2.1_t2v_14B.safetensors" }],
      missingClasses: [],
      backend: "comfyui",
    }]);
    const text = JSON.stringify(seen.body);
    for (const secret of [ana.id, ana.email, "Ana", ben.id, ben.email, "render-box"]) {
      assert.ok(!text.includes(secret), `nothing about the owners: ${secret} in ${text}`);
    }

    const outsider = await call(t, "GET", `/api/projects/${id}/agents`, { token: out.token });
    assert.equal(outsider.status, 404);
    await call(t, "DELETE", `/api/projects/${id}/members/${ben.id}`, { token: ana.token });
    const after = await call(t, "GET", `/api/projects/${id}/agents`, { token: rev.token });
    assert.deepEqual(after.body.agents.map((a: { name: string }) => a.name), ["ana-rig"]);
  } finally {
    await t.close();
  }
});

Deno.test("an owner's agent list says what each agent can run and what it lacks for the rest", async () => {
  const t = await createTestApp();
  try {
    const ana = await signUp(t, "Ana");
    await enrollAgent(t, ana, shotRig(24564), "ana-rig");
    const [agent] = (await call(t, "GET", "/api/agents", { token: ana.token })).body.agents;
    assert.deepEqual(agent.runnable, [{
      nodeType: "shot.generate",
      title: "Shot",
      tier: "standard",
    }]);
    assert.deepEqual(agent.blocked.map((b: { title: string; tier: string }) => [b.title, b.tier]), [
      ["Shot", "high"],
    ]);
  } finally {
    await t.close();
  }
});
