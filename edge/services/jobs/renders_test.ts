/**
 * A cut's render through the edge as an agent meets it: queued with enqueueRender, claimed by an
 * agent that advertises `cut.render`, its output filed as a versioned film under
 * `renders/CUTS/{cut}/v{NN}/`, with its poster and media facts, and its lineage.
 */
import assert from "node:assert/strict";
import type { AgentProfile } from "../../../protocol/jobs.ts";
import { agentProfile, enrollAgent, getBlob, putBlob } from "../../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../../test/jobs/graphs.ts";
import { toHex } from "../../lib/bytes.ts";
import { call, createProject, createTestApp, signUp } from "../../testing.ts";
import { enqueueRender } from "./enqueue_render.ts";
import { cutFolderName } from "./renders.ts";
import { allocateTake } from "./takes.ts";

Deno.test("a cut's name becomes a safe key segment", () => {
  assert.equal(cutFolderName("Main"), "Main");
  assert.equal(cutFolderName(`Director's cut; v2 [final], "b"`), "Director_s_cut_v2_final_b");
  assert.equal(cutFolderName("../../etc/passwd"), "etc_passwd");
  assert.equal(cutFolderName("Épilogue à Noël"), "Epilogue_a_Noel");
  assert.equal(cutFolderName("  ;;  "), "CUT");
  assert.equal(cutFolderName("x".repeat(300)).length, 64);
});

/** An agent whose ffmpeg advertises the render, like a 0.3 agent does. */
function renderAgent(): AgentProfile {
  const profile = agentProfile({ vramMiB: 0, backends: ["ffmpeg"] });
  profile.backends[0]!.runnable = [{ nodeType: "cut.render", tier: "standard" }];
  return profile;
}

async function setup() {
  const t = await createTestApp();
  const owner = await signUp(t, "Ana");
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", { prompt: "door" })]));
  // One ready video take and one image take, made the way agents make them.
  const maker = await enrollAgent(t, owner, agentProfile());
  const takeOf = async (contentType: string, ext: string) => {
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt: "door" } },
    });
    assert.equal(queued.status, 201);
    const job = await maker.claim();
    const out = await maker.upload(
      job!.id,
      new TextEncoder().encode(`${ext} bytes`),
      ext,
      contentType,
    );
    const done = await maker.complete(job!.id, [out]);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    return done.body.takes[0].id as string;
  };
  const video = await takeOf("video/mp4", "mp4");
  const image = await takeOf("image/png", "png");
  const agent = await enrollAgent(t, owner, renderAgent());
  return { t, owner, projectId, video, image, agent };
}

const params = (cutName: string, input = "t1") => ({
  cutId: "cut-7",
  cutName,
  revision: 12,
  format: { width: 1280, height: 720, fps: 24 },
  video: [
    { clipId: "a", input, in: 0, out: 48, transition: { kind: "dissolve", frames: 12 } },
    { clipId: "b", input: null, in: 0, out: 24, transition: null },
  ],
  audio: [],
});

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const FILM = new TextEncoder().encode("film bytes");
const sha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));

Deno.test("a render is filed as versioned, immutable film under CUTS with its poster, facts and lineage", async () => {
  const { t, owner, projectId, video, agent } = await setup();
  try {
    const name = `Bob's cut; [v1], final`;
    const { job } = await enqueueRender(t.deps, {
      projectId,
      userId: owner.id,
      params: params(name),
      inputs: { t1: video },
    });
    assert.deepEqual([job.nodeType, job.nodeId, job.graphRevision, job.tier], [
      "cut.render",
      "cut-7",
      12,
      "standard",
    ]);
    assert.deepEqual(job.backends, ["ffmpeg"]);
    assert.equal(job.minVramMiB, 0, "CPU work");

    const claimed = await agent.claim();
    assert.equal(claimed?.id, job.id, "the agent that advertises cut.render gets it");
    assert.equal(claimed.inputs.length, 1);
    assert.equal(claimed.inputs[0]!.socket, "t1");
    assert.match(claimed.inputs[0]!.sha256 ?? "", /^[0-9a-f]{64}$/);

    const slot = await agent.call("POST", `/jobs/${job.id}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    assert.equal(slot.status, 201);
    assert.equal(
      slot.body.key,
      `projects/${projectId}/renders/CUTS/Bob_s_cut_v1_final/v01/Bob_s_cut_v1_final_v01.mp4`,
    );
    assert.ok(slot.body.poster?.uploadUrl, "a video output gets a poster slot");
    assert.equal(slot.body.poster.headers["content-type"], "image/jpeg");
    await (await putBlob(t, slot.body.uploadUrl, slot.body.headers, FILM)).body?.cancel();
    await (await putBlob(t, slot.body.poster.uploadUrl, slot.body.poster.headers, JPEG)).body
      ?.cancel();
    const media = { durationSeconds: 2.5, fps: 24, width: 1280, height: 720, hasAudio: true };
    const done = await agent.complete(job.id, [{
      takeId: slot.body.takeId,
      bytes: FILM.length,
      sha256: await sha256(FILM),
      contentType: "video/mp4",
      media,
      poster: { bytes: JPEG.length, sha256: await sha256(JPEG) },
    }]);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const [film] = done.body.takes;
    assert.equal(film.name, "Bob_s_cut_v1_final_v01.mp4");
    assert.equal(film.nodeId, "cut-7");
    assert.equal(film.jobId, job.id);
    assert.deepEqual(film.media, media);
    assert.equal(film.lineage.params.cutId, "cut-7");
    assert.equal(film.lineage.params.revision, 12);
    assert.equal(film.lineage.params.cutName, name);
    const poster = await getBlob(t, film.posterUrl);
    assert.equal(poster.headers.get("content-type"), "image/jpeg");
    assert.deepEqual(new Uint8Array(await poster.arrayBuffer()), JPEG);
    // The room hears of it under the cut's id, with a poster URL signed for guests too.
    const event = t.notifier.events.map((e) => e.event).find((e) =>
      e.type === "generation.complete" && e.taskId === job.id
    );
    assert.equal(event?.type === "generation.complete" && event.nodeId, "cut-7");
    // The room hands that take to guests as is: its poster URL lives as long as theirs do.
    const expiry = (url: string) => Number(new URL(url, "http://x").searchParams.get("exp"));
    const eventTake = event?.type === "generation.complete"
      ? event.take as { posterUrl: string }
      : null;
    const eventPoster = eventTake?.posterUrl ?? "";
    assert.ok(expiry(eventPoster) <= t.deps.now() + t.config.GUEST_DOWNLOAD_URL_TTL_S * 1000);
    assert.ok(expiry(film.posterUrl) > t.deps.now() + t.config.GUEST_DOWNLOAD_URL_TTL_S * 1000);

    // The next render of the same cut is v02; the first is untouched.
    const again = await enqueueRender(t.deps, {
      projectId,
      userId: owner.id,
      params: params(name),
      inputs: { t1: video },
    });
    await agent.claim();
    const next = await agent.call("POST", `/jobs/${again.job.id}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    assert.match(next.body.key, /\/CUTS\/Bob_s_cut_v1_final\/v02\/Bob_s_cut_v1_final_v02\.mp4$/);

    const tree = await call(t, "GET", `/api/projects/${projectId}/structure`, {
      token: owner.token,
    });
    const renders = tree.body.tree.children.find((c: { name: string }) => c.name === "renders");
    const cuts = renders.children.find((c: { name: string }) => c.name === "CUTS");
    assert.deepEqual(
      cuts.children[0].children[0].children.map((c: { name: string }) => c.name),
      ["Bob_s_cut_v1_final_v01.mp4"],
      "only the finished render is listed",
    );
  } finally {
    await t.close();
  }
});

Deno.test("render versions are allocated atomically per cut: parallel outputs never share one", async () => {
  const { t, owner, projectId, video, agent } = await setup();
  try {
    const jobs = [];
    for (const name of ["Main", "Main", "Main", "Trailer", "Main"]) {
      jobs.push(
        (await enqueueRender(t.deps, {
          projectId,
          userId: owner.id,
          params: params(name),
          inputs: { t1: video },
        })).job,
      );
    }
    const rows = await Promise.all(
      jobs.map((job) =>
        allocateTake(t.deps, job, agent.id, { ext: "mp4", contentType: "video/mp4" })
      ),
    );
    const main = rows.filter((r) => r.shot === "Main").map((r) => r.version).sort();
    assert.deepEqual(main, [1, 2, 3, 4]);
    assert.deepEqual(rows.filter((r) => r.shot === "Trailer").map((r) => r.version), [1]);
  } finally {
    await t.close();
  }
});

Deno.test("a poster the agent did not upload, or of the wrong size, is refused naming the field", async () => {
  const { t, owner, projectId, video, agent } = await setup();
  try {
    const { job } = await enqueueRender(t.deps, {
      projectId,
      userId: owner.id,
      params: params("Main"),
      inputs: { t1: video },
    });
    await agent.claim();
    const slot = await agent.call("POST", `/jobs/${job.id}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    await (await putBlob(t, slot.body.uploadUrl, slot.body.headers, FILM)).body?.cancel();
    const output = {
      takeId: slot.body.takeId,
      bytes: FILM.length,
      sha256: await sha256(FILM),
      contentType: "video/mp4",
      poster: { bytes: JPEG.length, sha256: await sha256(JPEG) },
    };
    const missing = await agent.complete(job.id, [output]);
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.issues[0].path, "outputs.0.poster");
    await (await putBlob(t, slot.body.poster.uploadUrl, slot.body.poster.headers, JPEG)).body
      ?.cancel();
    const short = await agent.complete(job.id, [{
      ...output,
      poster: { ...output.poster, bytes: 3 },
    }]);
    assert.equal(short.status, 422);
    assert.equal(short.body.error.issues[0].path, "outputs.0.poster.bytes");
    // An agent from before posters sends neither: the film has no poster and no facts.
    const { poster: _, ...plainOutput } = output;
    const plain = await agent.complete(job.id, [plainOutput]);
    assert.equal(plain.status, 200);
    assert.equal(plain.body.takes[0].posterUrl, null);
    assert.equal(plain.body.takes[0].media, null);
  } finally {
    await t.close();
  }
});

Deno.test("bad render requests are refused with 422 naming the field, and queue nothing", async () => {
  const { t, owner, projectId, video, image } = await setup();
  const other = await createProject(t, owner, "Other");
  try {
    const cases: [unknown, Record<string, string>, string][] = [
      [
        { ...params("Main"), format: { width: 1281, height: 720, fps: 24 } },
        { t1: video },
        "params.format.width",
      ],
      [
        {
          ...params("Main"),
          video: [
            {
              clipId: "a",
              input: "t1",
              in: 0,
              out: 10,
              transition: { kind: "wipeup", frames: 12 },
            },
            { clipId: "b", input: "t1", in: 0, out: 48, transition: null },
          ],
        },
        { t1: video },
        "params.video.0.transition",
      ],
      [params("Main", "t2"), { t1: video }, "inputs.t2"],
      [params("Main"), { t1: video, extra: video }, "inputs.extra"],
      [params("Main"), { t1: image }, "inputs.t1"],
      [params("Main"), { t1: "00000000-0000-7000-8000-000000000000" }, "inputs.t1"],
    ];
    for (const [body, inputs, path] of cases) {
      const error = await enqueueRender(t.deps, {
        projectId,
        userId: owner.id,
        params: body,
        inputs,
      }).then(() => null, (e) => e);
      assert.equal(error?.status, 422, path);
      assert.equal(error.issues[0].path, path);
    }
    // Another project's take is not this project's to render.
    const foreign = await enqueueRender(t.deps, {
      projectId: other,
      userId: owner.id,
      params: params("Main"),
      inputs: { t1: video },
    }).then(() => null, (e) => e);
    assert.equal(foreign?.status, 422);
    const listed = await call(t, "GET", `/api/projects/${projectId}/jobs?nodeId=cut-7`, {
      token: owner.token,
    });
    assert.deepEqual(listed.body.jobs, []);
  } finally {
    await t.close();
  }
});

Deno.test("cut.render cannot be generated as a node", async () => {
  const { t, owner, projectId } = await setup();
  try {
    await saveGraph(t, projectId, graphOf([node("r1", "cut.render")]));
    const res = await call(t, "POST", `/api/projects/${projectId}/nodes/r1/generate`, {
      token: owner.token,
      body: { type: "cut.render", params: params("Main") },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.issues[0].path, "type");
  } finally {
    await t.close();
  }
});
