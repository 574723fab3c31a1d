import assert from "node:assert/strict";
import { takes } from "../../db/schema/mod.ts";
import { agentProfile, CARD_MIB, enrollAgent, type FakeAgent } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { selectedTakes } from "../services/jobs/selects.ts";
import { takeKey } from "../services/jobs/takes.ts";
import { addMember, call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";

/** Queues a run of `nodeId` and runs it to one take with the fake agent; returns the take. */
async function runOnce(
  t: TestApp,
  agent: FakeAgent,
  token: string,
  projectId: string,
  nodeId: string,
  type = "shot.generate",
) {
  const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, {
    token,
    body: { type },
  });
  assert.equal(queued.status, 201, JSON.stringify(queued.body));
  const job = await agent.claim();
  assert.equal(job?.nodeId, nodeId);
  const [take] = await agent.finish(job!, `${nodeId} take`);
  return { take: take!, job: job! };
}

async function setup() {
  const t = await createTestApp();
  const owner = await signUp(t, "Ana");
  const projectId = await createProject(t, owner);
  const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }));
  return { t, owner, projectId, agent };
}

Deno.test("take numbers count per node: a second node filing under the same shot starts at take01, as SHOT-010B", async () => {
  const { t, owner, projectId, agent } = await setup();
  try {
    // Both nodes carry the catalog's default naming: SC01 / SHOT-010 / v01.
    await saveGraph(
      t,
      projectId,
      graphOf([
        node("first", "shot.generate", { prompt: "a door" }),
        node("copy", "shot.generate", { prompt: "a door, again" }),
      ]),
    );
    const names: string[] = [];
    for (const nodeId of ["first", "first", "copy", "first", "copy"]) {
      names.push((await runOnce(t, agent, owner.token, projectId, nodeId)).take.name);
    }
    assert.deepEqual(names, [
      "SHOT-010_v01_take01.mp4",
      "SHOT-010_v01_take02.mp4",
      "SHOT-010B_v01_take01.mp4",
      "SHOT-010_v01_take03.mp4",
      "SHOT-010B_v01_take02.mp4",
    ]);
    const keys = (await t.db.select().from(takes)).map(takeKey);
    assert.equal(new Set(keys).size, 5, `five keys, none shared: ${keys}`);
    const tree = await call(t, "GET", `/api/projects/${projectId}/structure`, {
      token: owner.token,
    });
    const sc01 = tree.body.tree.children[1].children[0];
    assert.deepEqual(
      sc01.children.map((shot: { name: string; children: { children: { name: string }[] }[] }) => [
        shot.name,
        shot.children[0]!.children.map((f) => f.name),
      ]),
      [
        ["SHOT-010", [
          "SHOT-010_v01_take01.mp4",
          "SHOT-010_v01_take02.mp4",
          "SHOT-010_v01_take03.mp4",
        ]],
        ["SHOT-010B", ["SHOT-010B_v01_take01.mp4", "SHOT-010B_v01_take02.mp4"]],
      ],
    );
  } finally {
    await t.close();
  }
});

Deno.test("takes numbered before numbers counted per node keep their numbers and keys; the next never reuses one", async () => {
  const { t, owner, projectId, agent } = await setup();
  try {
    await saveGraph(
      t,
      projectId,
      graphOf([
        node("a", "shot.generate", { prompt: "a" }),
        node("b", "shot.generate", {
          prompt: "b",
        }),
      ]),
    );
    const { take: first, job } = await runOnce(t, agent, owner.token, projectId, "a");
    // As the old numbering filed them: node b's take was take02 of the same shared series.
    const [row] = await t.db.select().from(takes);
    await t.db.insert(takes).values({ ...row!, id: crypto.randomUUID(), nodeId: "b", take: 2 });
    assert.equal(job.nodeId, "a");
    const next = await runOnce(t, agent, owner.token, projectId, "a");
    const forB = await runOnce(t, agent, owner.token, projectId, "b");
    assert.equal(first.name, "SHOT-010_v01_take01.mp4");
    assert.equal(next.take.name, "SHOT-010_v01_take03.mp4", "after the shared series' take02");
    assert.equal(forB.take.name, "SHOT-010_v01_take04.mp4", "b goes on in the series it had");
  } finally {
    await t.close();
  }
});

Deno.test("selects: the newest take until an editor chooses; who and when are kept, logged and told to the room", async () => {
  const { t, owner, projectId, agent } = await setup();
  try {
    const ben = await signUp(t, "Ben");
    const cleo = await signUp(t, "Cleo");
    await addMember(t, projectId, owner, ben, "editor");
    await addMember(t, projectId, owner, cleo, "reviewer");
    await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", { prompt: "door" })]));
    const one = (await runOnce(t, agent, owner.token, projectId, "shot1")).take;
    const two = (await runOnce(t, agent, owner.token, projectId, "shot1")).take;
    const selects = async (token: string) =>
      (await call(t, "GET", `/api/projects/${projectId}/selects`, { token })).body.selects;
    assert.deepEqual(await selects(cleo.token), [
      { nodeId: "shot1", takeId: two.id, selectedBy: null, selectedAt: null },
    ]);

    const select = (token: string, takeId: string, nodeId = "shot1") =>
      call(t, "PUT", `/api/projects/${projectId}/nodes/${nodeId}/selected-take`, {
        token,
        body: { takeId },
      });
    const chosen = await select(ben.token, one.id);
    assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
    assert.deepEqual(chosen.body.select.selectedBy, { id: ben.id, name: "Ben" });
    assert.equal(typeof chosen.body.select.selectedAt, "number");
    assert.deepEqual(await selects(cleo.token), [chosen.body.select]);
    const told = t.notifier.events.filter((e) => e.event.type === "take.selected");
    assert.deepEqual(told.map((e) => e.event), [{
      type: "take.selected",
      nodeId: "shot1",
      takeId: one.id,
      by: { userId: ben.id, name: "Ben" },
      at: chosen.body.select.selectedAt,
    }]);
    const log = await call(t, "GET", `/api/projects/${projectId}/activity`, { token: cleo.token });
    const entry = log.body.activity.find((a: { action: string }) => a.action === "take.select");
    assert.equal(entry?.actorName, "Ben");
    assert.equal(entry?.subject, "SHOT-010_v01_take01.mp4");

    // A newer take does not unseat a choice.
    await runOnce(t, agent, owner.token, projectId, "shot1");
    assert.equal((await selects(owner.token))[0].takeId, one.id);

    // Reviewers and outsiders cannot choose; a take of another node is not this node's.
    assert.equal((await select(cleo.token, two.id)).status, 403);
    const outsider = await signUp(t, "Dan");
    assert.equal((await select(outsider.token, two.id)).status, 404);
    assert.equal((await select(owner.token, two.id, "other")).status, 404);
    assert.equal((await selects(owner.token))[0].takeId, one.id, "nothing changed");

    // The service the cut calls: the same answer, by node.
    const map = await selectedTakes(t.deps, projectId, ["shot1", "gone"]);
    assert.deepEqual([...map.keys()], ["shot1"]);
    assert.equal(map.get("shot1")?.take.id, one.id);
  } finally {
    await t.close();
  }
});

Deno.test("a job reads its upstream node's selected take and keeps what it read as the take's lineage", async () => {
  const { t, owner, projectId, agent } = await setup();
  try {
    const rey = await call(t, "POST", `/api/projects/${projectId}/assets`, {
      token: owner.token,
      body: { type: "character", name: "Rey" },
    });
    await call(t, "PATCH", `/api/projects/${projectId}/assets/${rey.body.asset.id}`, {
      token: owner.token,
      body: { description: "older, wiser" },
    });
    await saveGraph(
      t,
      projectId,
      graphOf(
        [
          node("rey", "asset.character", { assetId: rey.body.asset.id, name: "Rey" }),
          node("shot1", "shot.generate", { prompt: "door" }),
          node("up", "upscale", { shot: "SHOT-020" }),
        ],
        [["rey", "character", "shot1", "character"], ["shot1", "video", "up", "video"]],
      ),
    );
    const older = (await runOnce(t, agent, owner.token, projectId, "shot1")).take;
    const newer = (await runOnce(t, agent, owner.token, projectId, "shot1")).take;
    assert.deepEqual(newer.lineage.inputs, [{
      kind: "asset",
      socket: "character",
      assetId: rey.body.asset.id,
      assetType: "character",
      version: 2,
      name: "Rey",
      image: false,
    }]);
    assert.ok(newer.lineage.timing.queuedAt <= newer.lineage.timing.startedAt!);
    assert.ok(newer.lineage.timing.startedAt! <= newer.lineage.timing.finishedAt!);

    const readBy = async () => {
      const { job, take } = await runOnce(t, agent, owner.token, projectId, "up", "upscale");
      return { claimed: job.inputs.map((i) => i.takeId), lineage: take.lineage.inputs };
    };
    assert.deepEqual((await readBy()).claimed, [newer.id], "the newest, while none is chosen");
    await call(t, "PUT", `/api/projects/${projectId}/nodes/shot1/selected-take`, {
      token: owner.token,
      body: { takeId: older.id },
    });
    const after = await readBy();
    assert.deepEqual(after.claimed, [older.id], "the chosen one");
    assert.deepEqual(after.lineage, [{
      kind: "take",
      socket: "video",
      takeId: older.id,
      nodeId: "shot1",
      name: "SHOT-010_v01_take01.mp4",
    }]);
  } finally {
    await t.close();
  }
});
