import assert from "node:assert/strict";
import { agentProfile, enrollAgent, putBlob } from "../../../test/jobs/fake_agent.ts";
import { shotProject } from "../../../test/jobs/shot_job.ts";
import { call, createTestApp, type TestApp } from "../../testing.ts";
import { toHex } from "../../lib/bytes.ts";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const MEDIA = { durationSeconds: 5, fps: 16, width: 832, height: 480, hasAudio: false };
const sha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));

/** A shot job run to completion the way agents since descriptions do: no media, no poster. */
async function completedShot(t: TestApp) {
  const { owner, projectId, agent, generate } = await shotProject(t);
  const jobId = await generate();
  await agent.claim();
  const slot = await agent.call("POST", `/jobs/${jobId}/outputs`, {
    ext: "mp4",
    contentType: "video/mp4",
  });
  const film = new TextEncoder().encode("film bytes");
  await (await putBlob(t, slot.body.uploadUrl, slot.body.headers, film)).body?.cancel();
  const output = {
    takeId: slot.body.takeId as string,
    bytes: film.length,
    sha256: await sha256(film),
    contentType: "video/mp4",
  };
  const describe = (body: unknown, as = agent) =>
    as.call("POST", `/jobs/${jobId}/takes/${output.takeId}/description`, body);
  const uploadPoster = async () =>
    await (await putBlob(t, slot.body.poster.uploadUrl, slot.body.poster.headers, JPEG)).body
      ?.cancel();
  const poster = { bytes: JPEG.length, sha256: await sha256(JPEG) };
  return { owner, projectId, agent, jobId, output, describe, uploadPoster, poster };
}

Deno.test("a completed video take gets its poster and facts after completion, and the room hears it", async () => {
  const t = await createTestApp();
  try {
    const { owner, projectId, agent, jobId, output, describe, uploadPoster, poster } =
      await completedShot(t);
    const done = await agent.complete(jobId, [output]);
    assert.equal(done.status, 200);
    assert.equal(done.body.takes[0].posterUrl, null, "delivered before its poster");
    await uploadPoster();
    const described = await describe({ media: MEDIA, poster });
    assert.equal(described.status, 200, JSON.stringify(described.body));
    assert.deepEqual(described.body.take.media, MEDIA);
    const [take] = (await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=shot1`, {
      token: owner.token,
    })).body.takes;
    assert.deepEqual(take.media, MEDIA);
    const jpeg = await t.app.request(take.posterUrl);
    assert.deepEqual(new Uint8Array(await jpeg.arrayBuffer()), JPEG);

    // The room gets the take again, its poster signed for guests as on completion.
    const event = t.notifier.events.map((e) => e.event).find((e) => e.type === "take.described");
    assert.ok(event?.type === "take.described");
    const sent = event.take as { id: string; posterUrl: string };
    assert.deepEqual([event.nodeId, event.taskId, sent.id], ["shot1", jobId, take.id]);
    const expiry = (url: string) => Number(new URL(url, "http://x").searchParams.get("exp"));
    const guestPoster = sent.posterUrl;
    assert.ok(expiry(guestPoster) <= t.deps.now() + t.config.GUEST_DOWNLOAD_URL_TTL_S * 1000);
    assert.ok(event.guestUrl);

    const again = await describe({ media: MEDIA, poster });
    assert.equal(again.status, 200, "the same description again (a retried request) is harmless");
    const other = await describe({ media: { ...MEDIA, fps: 24 }, poster });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "already_described");
    assert.match(other.body.error.message, /already has its media facts and poster/);
    assert.equal(
      t.notifier.events.filter((e) => e.event.type === "take.described").length,
      1,
      "told once",
    );
  } finally {
    await t.close();
  }
});

Deno.test("a take's description: only its own agent, only once ready, only with its poster stored", async () => {
  const t = await createTestApp();
  try {
    const { owner, projectId, agent, jobId, output, describe, uploadPoster, poster } =
      await completedShot(t);
    const notReady = await describe({ media: MEDIA });
    assert.equal(notReady.status, 409, "the job is still running");
    assert.equal(notReady.body.error.code, "take_not_ready");
    await agent.complete(jobId, [output]);

    const stranger = await enrollAgent(t, owner, agentProfile(), "another");
    assert.equal((await describe({ media: MEDIA }, stranger)).status, 404, "not its take");
    const path = `/api/agent/v1/jobs/${jobId}/takes/${output.takeId}/description`;
    const asOwner = await call(t, "POST", path, { token: owner.token, body: { media: MEDIA } });
    assert.equal(asOwner.status, 401, "a person's session is not an agent's credential");
    const link = await call(t, "POST", `/api/projects/${projectId}/share-links`, {
      token: owner.token,
      body: { label: "Client" },
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: { name: "Cleo" },
    });
    const asGuest = await call(t, "POST", path, {
      token: guest.body.token,
      body: { media: MEDIA },
    });
    assert.equal(asGuest.status, 401);
    const unknown = await agent.call(
      "POST",
      `/jobs/${jobId}/takes/${crypto.randomUUID()}/description`,
      {
        media: MEDIA,
      },
    );
    assert.equal(unknown.status, 404);

    const missing = await describe({ media: MEDIA, poster });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.code, "output_mismatch");
    assert.match(missing.body.error.message, /^poster: the poster is not in storage/);
    await uploadPoster();
    const short = await describe({ media: MEDIA, poster: { ...poster, bytes: 9 } });
    assert.equal(short.status, 422);
    assert.match(short.body.error.message, /^poster\.bytes: storage holds 10 bytes, not 9/);

    for (
      const [body, field] of [
        [{}, "media"],
        [{ media: { ...MEDIA, fps: -1 } }, "media.fps"],
        [{ media: MEDIA, poster: { bytes: 10, sha256: "x" } }, "poster.sha256"],
        [
          { media: MEDIA, poster: { bytes: 2 * 1024 * 1024, sha256: "a".repeat(64) } },
          "poster.bytes",
        ],
      ] as const
    ) {
      const res = await describe(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(
        res.body.error.issues.some((i: { path: string }) => i.path === field),
        `${JSON.stringify(res.body.error)} names ${field}`,
      );
    }
    const [take] = (await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=shot1`, {
      token: owner.token,
    })).body.takes;
    assert.deepEqual([take.media, take.posterUrl], [null, null], "nothing refused was recorded");
    assert.equal((await describe({ media: MEDIA, poster })).status, 200);
  } finally {
    await t.close();
  }
});

Deno.test("an image take has no poster or facts to describe; an old agent's completion with them still counts", async () => {
  const t = await createTestApp();
  try {
    const { agent, generate } = await shotProject(t);
    const imageJob = await generate("still");
    await agent.claim();
    const image = await agent.upload(imageJob, new Uint8Array([1, 2, 3]), "png", "image/png");
    await agent.complete(imageJob, [image]);
    const res = await agent.call("POST", `/jobs/${imageJob}/takes/${image.takeId}/description`, {
      media: MEDIA,
    });
    assert.equal(res.status, 422);
    assert.match(res.body.error.message, /^media: only a video take/);

    // An agent from before descriptions sends media and poster with `complete`.
    const t2 = await completedShot(t);
    await t2.uploadPoster();
    const done = await t2.agent.complete(t2.jobId, [{
      ...t2.output,
      media: MEDIA,
      poster: t2.poster,
    }]);
    assert.deepEqual(done.body.takes[0].media, MEDIA);
    assert.ok(done.body.takes[0].posterUrl);
    assert.equal((await t2.describe({ media: MEDIA, poster: t2.poster })).status, 200);
    assert.equal((await t2.describe({ media: MEDIA })).status, 409, "it has a poster already");
  } finally {
    await t.close();
  }
});
