import assert from "node:assert/strict";
import { agentProfile, CARD_MIB, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { choosePools, joinStudio, studioWithPool } from "../../test/jobs/fleet_fixture.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { addMember, call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";

const shot = { type: "shot.generate", params: { prompt: "a door" } };

async function projectWithShot(t: TestApp, owner: { token: string }) {
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", { prompt: "a door" })]));
  const generate = async (body: Record<string, unknown> = {}) => {
    const res = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { ...shot, ...body },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.job;
  };
  return { projectId, generate };
}

Deno.test("a studio pool runs only the projects chosen for it, and the job names the pool", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const other = await signUp(t, "Otto");
    const { poolId } = await studioWithPool(t, admin);
    const farm = await enrollAgent(t, admin, agentProfile(), "farm-1", poolId);
    const personal = await enrollAgent(t, admin, agentProfile(), "home");
    const ours = await projectWithShot(t, admin);
    const theirs = await projectWithShot(t, other);

    // Not chosen yet: the project runs on its owner's personal pool, not on the farm.
    const first = await ours.generate();
    assert.equal(await farm.claim(), null, "the farm takes nothing it was not given");
    const onHome = await personal.claim();
    assert.equal(onHome?.id, first.id);
    assert.equal((await personal.finishWithPeak(onHome!)).status, 200);

    await choosePools(t, admin, ours.projectId, [poolId]);
    const second = await ours.generate();
    assert.equal(await personal.claim(), null, "chosen pools only: the personal one is out");
    const onFarm = await farm.claim();
    assert.equal(onFarm?.id, second.id);
    const seen = await call(t, "GET", `/api/projects/${ours.projectId}/jobs/${second.id}`, {
      token: admin.token,
    });
    assert.deepEqual(seen.body.job.pool, { id: poolId, name: "Render Farm" });

    // Another studio's project can never choose this pool, nor is it served by it.
    const refused = await call(t, "PUT", `/api/projects/${theirs.projectId}/pools`, {
      token: other.token,
      body: { poolIds: [poolId] },
    });
    assert.equal(refused.status, 404);
    assert.match(refused.body.error.message, /pool .* not found/);
    await theirs.generate();
    assert.equal(await farm.claim(), null);
  } finally {
    await t.close();
  }
});

Deno.test("a project's default pools are its owners' and editors' personal pools, listed before their rows exist, as the claim serves them", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const editor = await signUp(t, "Ed");
    const reviewer = await signUp(t, "Rev");
    const outsider = await signUp(t, "Out");
    const { projectId, generate } = await projectWithShot(t, owner);
    await addMember(t, projectId, owner, editor, "editor");
    await addMember(t, projectId, owner, reviewer, "reviewer");
    const list = async (user: { token: string }) => {
      const res = await call(t, "GET", `/api/projects/${projectId}/pools`, { token: user.token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    // Nobody has enrolled an agent or opened the Pools page: no pool row exists yet.
    const implied = [
      { id: owner.id, name: "Ada's agents", kind: "personal" },
      { id: editor.id, name: "Ed's agents", kind: "personal" },
    ];
    assert.deepEqual(await list(reviewer), { chosen: false, pools: implied });
    const hidden = await call(t, "GET", `/api/projects/${projectId}/pools`, {
      token: outsider.token,
    });
    assert.equal(hidden.status, 404);

    // The owner may choose their own personal pool before its row exists, and go back.
    const chosen = await call(t, "PUT", `/api/projects/${projectId}/pools`, {
      token: owner.token,
      body: { poolIds: [owner.id] },
    });
    assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
    assert.deepEqual(chosen.body, { chosen: true, pools: [implied[0]] });
    await call(t, "PUT", `/api/projects/${projectId}/pools`, {
      token: owner.token,
      body: { poolIds: [] },
    });
    assert.deepEqual(await list(owner), { chosen: false, pools: implied });

    // The claim agrees with the list: an agent of each listed pool is served, no other.
    const rev = await enrollAgent(t, reviewer, agentProfile(), "rev");
    const ed = await enrollAgent(t, editor, agentProfile(), "ed");
    const ada = await enrollAgent(t, owner, agentProfile(), "ada");
    assert.deepEqual(await list(reviewer), { chosen: false, pools: implied }, "rows made: same");
    const first = await generate();
    const second = await generate();
    assert.equal(await rev.claim(), null, "a reviewer's pool is not listed and not served");
    const claimed = [(await ed.claim())?.id, (await ada.claim())?.id].sort();
    assert.deepEqual(claimed, [first.id, second.id].sort());
  } finally {
    await t.close();
  }
});

Deno.test("why a job waits, per pool: which sizes are online and whether they are idle", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const { poolId } = await studioWithPool(t, admin);
    for (let i = 0; i < 3; i++) {
      await enrollAgent(t, admin, agentProfile({ vramMiB: CARD_MIB.gb16 }), `n${i}`, poolId);
    }
    const { projectId, generate } = await projectWithShot(t, admin);
    await choosePools(t, admin, projectId, [poolId]);
    const job = await generate({ tier: "high", allowDowngrade: false });
    assert.equal(job.waiting.reason, "not_enough_vram");
    assert.match(
      job.waiting.message,
      /no agent of pool Render Farm with 24 GB online; 3 with 16 GB idle/,
    );
  } finally {
    await t.close();
  }
});

Deno.test("a studio member uses its pools; only admins manage them; outsiders get 404", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const member = await signUp(t, "Max");
    const outsider = await signUp(t, "Otto");
    const { studioId, poolId } = await studioWithPool(t, admin);
    await joinStudio(t, admin, studioId, member);
    const asMember = await call(t, "GET", `/api/pools/${poolId}`, { token: member.token });
    assert.equal(asMember.status, 200);
    assert.equal(asMember.body.pool.role, "member");
    const patch = await call(t, "PATCH", `/api/pools/${poolId}`, {
      token: member.token,
      body: { maxAgents: 3 },
    });
    assert.equal(patch.status, 403);
    const memberProject = await projectWithShot(t, member);
    await choosePools(t, member, memberProject.projectId, [poolId]);
    for (
      const [method, path] of [
        ["GET", `/api/pools/${poolId}`],
        ["PATCH", `/api/pools/${poolId}`],
        ["POST", `/api/pools/${poolId}/enrollment-tokens`],
        ["GET", `/api/pools/${poolId}/scaling-tokens`],
        ["POST", `/api/pools/${poolId}/scaling-tokens`],
      ] as const
    ) {
      const body = method === "GET" ? {} : { body: {} };
      const res = await call(t, method, path, { token: outsider.token, ...body });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("a project lists the agents of the pools that serve it, with their pool, whoever enrolled them", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const colleague = await signUp(t, "Cole");
    const { studioId, poolId } = await studioWithPool(t, admin);
    await joinStudio(t, admin, studioId, colleague);
    await enrollAgent(t, admin, agentProfile(), "farm-1", poolId);
    await enrollAgent(t, admin, agentProfile(), "home");
    const { projectId } = await projectWithShot(t, admin);
    const names = async () => {
      const res = await call(t, "GET", `/api/projects/${projectId}/agents`, { token: admin.token });
      assert.equal(res.status, 200);
      return res.body.agents.map((a: { name: string; pool: { name: string } | null }) =>
        `${a.name} (${a.pool?.name ?? "someone's own"})`
      );
    };
    // The default: the owner's own machines; the farm agent Mira enrolled serves nothing here.
    assert.deepEqual(await names(), ["home (someone's own)"]);
    await choosePools(t, admin, projectId, [poolId]);
    // Cole, a studio admin, is no member of the project; the pool's agent he enrolls serves it.
    const promoted = await call(t, "PATCH", `/api/studios/${studioId}/members/${colleague.id}`, {
      token: admin.token,
      body: { role: "admin" },
    });
    assert.equal(promoted.status, 204);
    await enrollAgent(t, colleague, agentProfile(), "farm-2", poolId);
    assert.deepEqual(await names(), ["farm-1 (Render Farm)", "farm-2 (Render Farm)"]);
  } finally {
    await t.close();
  }
});
