import assert from "node:assert/strict";
import { agentProfile, CARD_MIB, enrollAgent, getBlob } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, oneShot, saveGraph } from "../../test/jobs/graphs.ts";
import { addMember, call, createProject, createTestApp, signUp } from "../testing.ts";

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
      body: {
        type: "shot.generate",
        params: { prompt: "a red door", scene: "SC02", shot: "SHOT-030" },
        tier: "high",
      },
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
    assert.equal(
      output.key,
      `projects/${projectId}/renders/SC02/SHOT-030/v01/SHOT-030_v01_take01.mp4`,
    );
    const done = await agent.complete(job.id, [output], { template: "wan_t2v", seed: 42 });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const take = done.body.takes[0];
    assert.equal(take.name, "SHOT-030_v01_take01.mp4");
    assert.deepEqual(
      {
        agentId: take.lineage.agentId,
        template: take.lineage.template,
        seed: take.lineage.seed,
        bytes: take.bytes,
      },
      { agentId: agent.id, template: "wan_t2v", seed: 42, bytes: content.byteLength },
    );
    assert.ok(
      t.notifier.events.some((e) =>
        e.event.type === "generation.complete" && e.event.taskId === job.id
      ),
    );

    const listed = await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=shot1`, {
      token: owner.token,
    });
    assert.deepEqual(listed.body.takes.map((x: { id: string }) => x.id), [take.id]);
    const download = await getBlob(t, listed.body.takes[0].url);
    assert.equal(await download.text(), "not really a video");

    const detail = await call(t, "GET", `/api/projects/${projectId}/jobs/${job.id}`, {
      token: owner.token,
    });
    assert.equal(detail.body.job.state, "succeeded");
    assert.deepEqual(
      detail.body.events.map((e: { from: string | null; to: string }) =>
        `${e.from ?? "-"}→${e.to}`
      ),
      ["-→queued", "queued→leased", "leased→running", "running→succeeded"],
    );

    const tree = await call(t, "GET", `/api/projects/${projectId}/structure`, {
      token: owner.token,
    });
    const renders = tree.body.tree.children.find((c: { name: string }) => c.name === "renders");
    assert.equal(renders.children[0].name, "SC02");
    assert.equal(
      renders.children[0].children[0].children[0].children[0].name,
      "SHOT-030_v01_take01.mp4",
    );
  } finally {
    await t.close();
  }
});

Deno.test("without params a job runs the node as the graph holds it and records that revision", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const generate = () =>
      call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
        token: owner.token,
        body: { type: "shot.generate" },
      });
    const first = await generate();
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.job.params.prompt, "a red door");
    assert.equal(first.body.job.graphRevision, 1);
    assert.deepEqual(t.notifier.asked.at(-1), { projectId, request: { type: "graph.flush" } });
    await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", { prompt: "a door" })]));
    const second = await generate();
    assert.equal(second.body.job.params.prompt, "a door");
    assert.equal(second.body.job.graphRevision, 2);
    await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", {})]));
    const invalid = await generate();
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error.issues[0].path, "params.prompt");
  } finally {
    await t.close();
  }
});

Deno.test("generate validates against the catalog and the saved graph, naming the field, and queues nothing", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const generate = (nodeId: string, body: unknown) =>
      call(t, "POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, {
        token: owner.token,
        body,
      });
    const cases: Array<[string, unknown, number, string]> = [
      ["shot1", { type: "shot.generate", params: { prompt: "x", steps: 0 } }, 422, "params.steps"],
      [
        "shot1",
        { type: "shot.generate", params: { prompt: "x", shot: "shot 10" } },
        422,
        "params.shot",
      ],
      ["shot1", { type: "shot.generate", params: {} }, 422, "params.prompt"],
      ["shot1", { type: "shot.generate", params: { prompt: "x", extra: 1 } }, 422, "params"],
      ["shot1", { type: "image.generate", params: { prompt: "x" } }, 422, "type"],
      ["shot1", { type: "no.such", params: {} }, 422, "type"],
      ["shot1", { type: "shot.generate", params: { prompt: "x" }, tier: "ultra" }, 422, "tier"],
      ["shot1", { type: "shot.generate", params: { prompt: "x" }, priority: 99 }, 422, "priority"],
    ];
    for (const [nodeId, body, status, path] of cases) {
      const res = await generate(nodeId, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.ok(
        res.body.error.issues.some((i: { path: string }) => i.path.startsWith(path)),
        `${path}: ${JSON.stringify(res.body)}`,
      );
    }
    assert.equal(
      (await generate("nope", { type: "shot.generate", params: { prompt: "x" } })).status,
      404,
    );
    assert.equal(
      (await generate("bad id!", { type: "shot.generate", params: { prompt: "x" } })).status,
      400,
    );
    const list = await call(t, "GET", `/api/projects/${projectId}/jobs`, { token: owner.token });
    assert.deepEqual(list.body.jobs, []);
  } finally {
    await t.close();
  }
});

Deno.test("a required input must be connected and have a take; the claim hands the take over as a signed URL", async () => {
  const { t, owner, projectId } = await setup();
  try {
    await saveGraph(
      t,
      projectId,
      graphOf(
        [
          node("shot1", "shot.generate", { prompt: "door" }),
          node("up", "upscale", { shot: "SHOT-020" }),
        ],
        [["shot1", "video", "up", "video"]],
      ),
    );
    const generate = (nodeId: string, body: unknown) =>
      call(t, "POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, {
        token: owner.token,
        body,
      });
    const early = await generate("up", { type: "upscale", params: {} });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, "missing_input");
    assert.equal(early.body.error.issues[0].path, "inputs.video");

    const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }));
    await generate("shot1", { type: "shot.generate", params: { prompt: "door" } });
    const shotJob = await agent.claim();
    const [take] = await agent.finish(shotJob!, "upstream video");
    const upscale = await generate("up", { type: "upscale", params: {} });
    assert.equal(upscale.status, 201);
    const claimed = await agent.claim();
    assert.equal(claimed?.nodeType, "upscale");
    assert.equal(claimed?.inputs.length, 1);
    assert.equal(claimed?.inputs[0]?.socket, "video");
    assert.equal(claimed?.inputs[0]?.takeId, take?.id);
    assert.equal(await (await getBlob(t, claimed!.inputs[0]!.url)).text(), "upstream video");

    await saveGraph(t, projectId, graphOf([node("lonely", "upscale")]));
    const unconnected = await generate("lonely", { type: "upscale", params: {} });
    assert.equal(unconnected.body.error.issues[0].message, 'input "video" must be connected');
  } finally {
    await t.close();
  }
});

Deno.test("an Idempotency-Key makes a retried generate return the same job; another body with it is refused", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const body = { type: "shot.generate", params: { prompt: "door" } };
    const send = (b: unknown, key = "click-1") =>
      call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
        token: owner.token,
        body: b,
        headers: { "idempotency-key": key },
      });
    const [a, b] = await Promise.all([send(body), send(body)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal(a.body.job.id, b.body.job.id);
    const other = await send({ ...body, params: { prompt: "window" } });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "idempotency_key_reused");
    const list = await call(t, "GET", `/api/projects/${projectId}/jobs?state=queued`, {
      token: owner.token,
    });
    assert.equal(list.body.jobs.length, 1);
    assert.equal(
      (await send(body, "second click")).status,
      400,
      "keys are printable ASCII without spaces",
    );
  } finally {
    await t.close();
  }
});

Deno.test("reviewers watch jobs and takes but cannot generate, cancel or retry", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const rev = await signUp(t, "Rev");
    await addMember(t, projectId, owner, rev, "reviewer");
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: "door" } },
    });
    const jobId = queued.body.job.id;
    assert.equal(
      (await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, { token: rev.token }))
        .status,
      200,
    );
    assert.equal(
      (await call(t, "GET", `/api/projects/${projectId}/takes`, { token: rev.token })).status,
      200,
    );
    for (const path of [`jobs/${jobId}/cancel`, `jobs/${jobId}/retry`]) {
      assert.equal(
        (await call(t, "POST", `/api/projects/${projectId}/${path}`, { token: rev.token })).status,
        403,
      );
    }
    const gen = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: rev.token,
      body: { type: "shot.generate", params: { prompt: "door" } },
    });
    assert.equal(gen.status, 403);
  } finally {
    await t.close();
  }
});

Deno.test("share-link guests get download URLs that expire after 10 minutes; members after an hour", async () => {
  const { t, owner, projectId } = await setup();
  try {
    const agent = await enrollAgent(t, owner);
    await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: "a red door" } },
    });
    const job = await agent.claim();
    assert.ok(job);
    const output = await agent.upload(job.id, new TextEncoder().encode("frames"));
    assert.equal((await agent.complete(job.id, [output])).status, 200);
    const completed = t.notifier.events.find((e) => e.event.type === "generation.complete")!;
    const link = await call(t, "POST", `/api/projects/${projectId}/share-links`, {
      token: owner.token,
      body: {},
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} });
    const urlFor = async (token: string) =>
      (await call(t, "GET", `/api/projects/${projectId}/takes`, { token })).body.takes[0]
        .url as string;
    const urls = {
      member: await urlFor(owner.token),
      guest: await urlFor(guest.body.token),
      roomMember: (completed.event.take as { url: string }).url,
      roomGuest: completed.event.guestUrl as string,
    };
    const works = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(urls).map(async ([who, url]) => {
            const res = await getBlob(t, url);
            await res.body?.cancel();
            return [who, res.status === 200];
          }),
        ),
      );
    assert.deepEqual(await works(), {
      member: true,
      guest: true,
      roomMember: true,
      roomGuest: true,
    });
    t.advance(10 * 60_000 + 1_000);
    assert.deepEqual(await works(), {
      member: true,
      guest: false,
      roomMember: true,
      roomGuest: false,
    });
    t.advance(50 * 60_000);
    assert.deepEqual(await works(), {
      member: false,
      guest: false,
      roomMember: false,
      roomGuest: false,
    });
  } finally {
    await t.close();
  }
});
