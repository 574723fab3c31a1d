import assert from "node:assert/strict";
import { agentProfile, CARD_MIB, enrollAgent, getBlob } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, oneShot, saveGraph } from "../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp } from "../testing.ts";

async function setup() {
  const t = await createTestApp();
  const owner = await signUp(t, "Ada");
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, oneShot());
  return { t, owner, projectId };
}

Deno.test("generate → claim → progress → upload → complete: the take is listed, named and downloadable", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const agent = await enrollAgent(t, owner);
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: "a red door", scene: "SC02", shot: "SHOT-030" }, tier: "high" },
    });
    assert.equal(queued.status, 201, JSON.stringify(queued.body));
    assert.equal(queued.body.job.state, "queued");
    assert.equal(queued.body.job.params.steps, 20, "catalog defaults are filled in");

    const job = await agent.claim();
    assert.ok(job);
    assert.equal(job.id, queued.body.job.id);
    assert.equal(job.attempt, 1);
    assert.equal((await agent.event(job.id, 40, { etaSeconds: 12 })).body.canceled, false);
    const progress = t.notifier.events.find((e) => e.event.type === "progress.update");
    assert.deepEqual(progress?.event, {
      type: "progress.update",
      nodeId: "shot1",
      taskId: job.id,
      percent: 40,
      message: "at 40%",
      eta: 12,
    });

    const content = new TextEncoder().encode("not really a video");
    const output = await agent.upload(job.id, content);
    assert.equal(output.key, `projects/${projectId}/renders/SC02/SHOT-030/v01/SHOT-030_v01_take01.mp4`);
    const done = await agent.complete(job.id, [output], { template: "wan_t2v", seed: 42 });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const take = done.body.takes[0];
    assert.equal(take.name, "SHOT-030_v01_take01.mp4");
    assert.deepEqual(
      { agentId: take.lineage.agentId, template: take.lineage.template, seed: take.lineage.seed, bytes: take.bytes },
      { agentId: agent.id, template: "wan_t2v", seed: 42, bytes: content.byteLength },
    );
    assert.ok(t.notifier.events.some((e) => e.event.type === "generation.complete" && e.event.taskId === job.id));

    const listed = await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=shot1`, { token: owner.token });
    assert.deepEqual(listed.body.takes.map((x: { id: string }) => x.id), [take.id]);
    const download = await getBlob(t, listed.body.takes[0].url);
    assert.equal(await download.text(), "not really a video");

    const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${job.id}`, { token: owner.token });
    assert.equal(detail.body.job.state, "succeeded");
    assert.deepEqual(
      detail.body.events.map((e: { from: string | null; to: string }) => `${e.from ?? "-"}→${e.to}`),
      ["-→queued", "queued→leased", "leased→running", "running→succeeded"],
    );

    const tree = await call(t, "GET", `/api/projects/${projectId}/structure`, { token: owner.token });
    const renders = tree.body.tree.children.find((c: { name: string }) => c.name === "renders");
    assert.equal(renders.children[0].name, "SC02");
    assert.equal(renders.children[0].children[0].children[0].children[0].name, "SHOT-030_v01_take01.mp4");
  } finally {
    await t.close();
  }
});
