import assert from "node:assert/strict";
import { DEFAULT_CUT_FORMAT, videoTrack } from "../../protocol/cut.ts";
import { cutFromGraph } from "../../protocol/cut_from_graph.ts";
import { agentProfile, CARD_MIB, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { currentGraph } from "../services/graph_store.ts";
import { addMember, call, createProject, createTestApp, signUp } from "../testing.ts";

/** A project with shots SHOT-010 (one take) and SHOT-020 (none yet) and a cut "Main" of both. */
async function setup() {
  const t = await createTestApp();
  const owner = await signUp(t, "Ana");
  const projectId = await createProject(t, owner);
  const graph = graphOf([
    node("s2", "shot.generate", { prompt: "a hall", shot: "SHOT-020" }),
    node("s1", "shot.generate", { prompt: "a door", shot: "SHOT-010" }),
  ]);
  await saveGraph(t, projectId, graph);
  const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }));
  const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/s1/generate`, {
    token: owner.token,
    body: { type: "shot.generate" },
  });
  assert.equal(queued.status, 201, JSON.stringify(queued.body));
  await agent.finish((await agent.claim())!);
  const cut = cutFromGraph(graph, { id: "main", name: "Main cut", format: DEFAULT_CUT_FORMAT });
  await saveGraph(t, projectId, { ...graph, cuts: { main: cut } });
  const base = `/api/projects/${projectId}/cuts`;
  return { t, owner, projectId, cut, base };
}

Deno.test("GET cuts lists the room's cuts with their length; OTIO and EDL export the cut, missing takes as gaps", async () => {
  const { t, owner, cut, base } = await setup();
  try {
    const list = await call(t, "GET", base, { token: owner.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.cuts.map((c: { id: string }) => c.id), ["main"]);
    assert.equal(list.body.cuts[0].durationFrames, 2 * 121);
    assert.deepEqual(list.body.cuts[0].clips, cut.clips);

    const otio = await call(t, "GET", `${base}/main/otio?relative=1`, { token: owner.token });
    assert.equal(otio.status, 200);
    assert.match(otio.headers.get("content-disposition") ?? "", /Main_cut\.otio/);
    assert.equal(otio.body.OTIO_SCHEMA, "Timeline.1");
    const picture = otio.body.tracks.children[0];
    assert.equal(picture.kind, "Video");
    assert.deepEqual(picture.children.map((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA), [
      "Clip.2",
      "Gap.1",
    ]);
    const ref =
      picture.children[0].media_references[picture.children[0].active_media_reference_key];
    assert.equal(ref.target_url, "renders/SC01/SHOT-010/v01/SHOT-010_v01_take01.mp4");
    const signed = await call(t, "GET", `${base}/main/otio`, { token: owner.token });
    const url =
      signed.body.tracks.children[0].children[0].media_references.DEFAULT_MEDIA.target_url;
    assert.match(url, /SHOT-010_v01_take01\.mp4/);
    assert.notEqual(url, ref.target_url, "without ?relative=1: the download URL");

    const edl = await call(t, "GET", `${base}/main/edl`, { token: owner.token });
    assert.equal(edl.status, 200);
    assert.match(edl.body, /^TITLE: Main cut\nFCM: NON-DROP FRAME\n/);
    assert.match(edl.body, /\* FROM CLIP NAME: +SHOT-010_v01_take01\.mp4\n002 {2}BL /);
  } finally {
    await t.close();
  }
});

Deno.test("an exported OTIO imported back gives the same cut, stored as a revision; an edited one changes it", async () => {
  const { t, owner, projectId, cut, base } = await setup();
  try {
    const exported = await call(t, "GET", `${base}/main/otio?relative=1`, { token: owner.token });
    const back = await call(t, "POST", `${base}/main/import-otio`, {
      token: owner.token,
      body: exported.body,
    });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(back.body.cut, cut);
    // Cut the first clip to its first second, as an editor would in Resolve.
    const edited = structuredClone(exported.body);
    edited.tracks.children[0].children[0].source_range.duration.value = 24;
    const changed = await call(t, "POST", `${base}/main/import-otio`, {
      token: owner.token,
      body: edited,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const stored = (await currentGraph(t.deps, projectId)).graph.cuts?.["main"];
    assert.equal(changed.body.revision, (await currentGraph(t.deps, projectId)).revision);
    assert.deepEqual(videoTrack(stored!).map((c) => c.out - c.in), [24, 121]);
  } finally {
    await t.close();
  }
});

Deno.test("importing an OTIO selects the takes its clips matched, recorded as the importer's select", async () => {
  const { t, owner, projectId, base } = await setup();
  try {
    // Exported while take01 was SHOT-010's only take: the timeline plays take01.
    const exported = await call(t, "GET", `${base}/main/otio?relative=1`, { token: owner.token });
    const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }));
    await call(t, "POST", `/api/projects/${projectId}/nodes/s1/generate`, {
      token: owner.token,
      body: { type: "shot.generate" },
    });
    await agent.finish((await agent.claim())!);
    const selects = async () =>
      (await call(t, "GET", `/api/projects/${projectId}/selects`, { token: owner.token })).body
        .selects as { nodeId: string; takeId: string; selectedBy: { name: string } | null }[];
    const takeIds = (await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=s1`, {
      token: owner.token,
    })).body.takes.map((take: { id: string; take: number }) => [take.take, take.id]);
    const idOf = new Map<number, string>(takeIds);
    const before = (await selects()).find((s) => s.nodeId === "s1")!;
    assert.equal(before.takeId, idOf.get(2), "the newest take plays until someone selects");
    t.advance(1000);
    const imported = await call(t, "POST", `${base}/main/import-otio`, {
      token: owner.token,
      body: exported.body,
    });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.deepEqual(imported.body.selected, [{ nodeId: "s1", takeId: idOf.get(1) }]);
    const after = (await selects()).find((s) => s.nodeId === "s1")!;
    assert.equal(after.takeId, idOf.get(1), "the cut plays the take the editor cut with");
    assert.deepEqual(after.selectedBy?.name, "Ana");
    assert.ok(
      t.notifier.events.some((e) =>
        e.event.type === "take.selected" && e.event.takeId === idOf.get(1)
      ),
      "the room hears the select",
    );
    const again = await call(t, "POST", `${base}/main/import-otio`, {
      token: owner.token,
      body: exported.body,
    });
    assert.deepEqual(again.body.selected, [], "already selected: nothing to record again");
  } finally {
    await t.close();
  }
});

Deno.test("cut routes refuse bad input naming the field, never a 500", async () => {
  const { t, owner, base } = await setup();
  try {
    const post = (body: unknown) =>
      call(t, "POST", `${base}/main/import-otio`, { token: owner.token, body });
    const notJson = await post("{ not json");
    assert.equal(notJson.status, 422);
    const notOtio = await post({ OTIO_SCHEMA: "Clip.2", name: "x" });
    assert.equal(notOtio.status, 422, JSON.stringify(notOtio.body));
    assert.ok(notOtio.body.error.issues?.[0]?.path, JSON.stringify(notOtio.body));
    const unknownCut = await call(t, "GET", `${base}/nope/otio`, { token: owner.token });
    assert.equal(unknownCut.status, 404);
    const badId = await call(t, "GET", `${base}/no%20way/edl`, { token: owner.token });
    assert.equal(badId.status, 400);
    assert.equal(badId.body.error.issues[0].path, "cutId");
    const badQuery = await call(t, "GET", `${base}/main/otio?relative=yes`, { token: owner.token });
    assert.equal(badQuery.status, 400);
    const huge = await call(t, "POST", `${base}/main/import-otio`, {
      token: owner.token,
      body: "x".repeat(9 * 1024 * 1024),
    });
    assert.equal(huge.status, 413);
  } finally {
    await t.close();
  }
});

Deno.test("reviewers read and export cuts but cannot import; non-members get 404", async () => {
  const { t, owner, projectId, base } = await setup();
  try {
    const reviewer = await signUp(t, "Rita");
    await addMember(t, projectId, owner, reviewer, "reviewer");
    const outsider = await signUp(t, "Oz");
    assert.equal((await call(t, "GET", `${base}/main/edl`, { token: reviewer.token })).status, 200);
    const exported = await call(t, "GET", `${base}/main/otio`, { token: reviewer.token });
    const imported = await call(t, "POST", `${base}/main/import-otio`, {
      token: reviewer.token,
      body: exported.body,
    });
    assert.equal(imported.status, 403);
    for (const path of [base, `${base}/main/otio`, `${base}/main/edl`]) {
      assert.equal((await call(t, "GET", path, { token: outsider.token })).status, 404, path);
    }
    const outsiderImport = await call(t, "POST", `${base}/main/import-otio`, {
      token: outsider.token,
      body: exported.body,
    });
    assert.equal(outsiderImport.status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("Render cut queues a cut.render job of the cut as the room holds it, each clip playing its selected take", async () => {
  const { t, owner, projectId, base } = await setup();
  try {
    const reviewer = await signUp(t, "Rita");
    await addMember(t, projectId, owner, reviewer, "reviewer");
    const refused = await call(t, "POST", `${base}/main/render`, { token: reviewer.token });
    assert.equal(refused.status, 403);
    const missing = await call(t, "POST", `${base}/nope/render`, { token: owner.token });
    assert.equal(missing.status, 404);

    const queued = await call(t, "POST", `${base}/main/render`, {
      token: owner.token,
      headers: { "idempotency-key": "render-1" },
    });
    assert.equal(queued.status, 201, JSON.stringify(queued.body));
    const job = queued.body.job;
    assert.equal(job.nodeType, "cut.render");
    assert.equal(job.nodeId, "main");
    const [video1, video2] = job.params.video;
    assert.equal(video1.input, "take1", "SHOT-010 plays its take");
    assert.equal(video2.input, null, "SHOT-020 has no take yet: a gap");
    assert.equal(job.params.cutName, "Main cut");
    assert.ok(job.params.revision >= 1, "the revision it was read from, as lineage");
    const again = await call(t, "POST", `${base}/main/render`, {
      token: owner.token,
      headers: { "idempotency-key": "render-1" },
    });
    assert.equal(again.status, 200, "the same key gives the same job");
    assert.equal(again.body.job.id, job.id);
  } finally {
    await t.close();
  }
});
