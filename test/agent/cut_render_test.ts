/**
 * A cut rendered end to end: shots generated on (the fake) ComfyUI become video takes, given a
 * poster and ffprobe's facts just after; a `cut.render` job queued from them runs on the real agent's
 * ffmpeg against a real edge, and its film is filed as `CUTS/{cut}/v{NN}` with a poster of its
 * own. A second render of the same cut fetches no take again: the agent keeps them by SHA-256.
 */
import assert from "node:assert/strict";
import { enqueueRender } from "../../edge/services/jobs/enqueue_render.ts";
import {
  inspect,
  makeClip,
  near,
  pixelAt,
  pixelOfFrame,
} from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import type { Take } from "../../protocol/jobs.ts";
import { rig } from "./rig.ts";

const node = (id: string, type: string) => ({ id, type, title: id, x: 0, y: 0, params: {} });

Deno.test("generated shots get posters and facts; a cut of them renders into a versioned film, reading each take once", async () => {
  // Take downloads, counted at the edge: `GET …/renders/SC01/….mp4` blob URLs (not posters).
  const takeGets: string[] = [];
  await using r = await rig({}, (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && /\/renders\/SC01\/.*\.mp4$/.test(path)) takeGets.push(path);
  });
  const dir = await Deno.makeTempDir({ prefix: "md-agent-cut-" });
  try {
    await r.saveGraph({
      nodes: { a: node("a", "shot.generate"), b: node("b", "shot.generate") },
      edges: {},
    });
    const agent = r.startAgent();
    const shot = async (id: string, colour: string): Promise<Take> => {
      const clip = await Deno.readFile(
        await makeClip(`${dir}/${id}.mp4`, {
          source: `color=c=${colour}`,
          size: "832x480",
          rate: 16,
          seconds: 3,
          audio: id === "a",
        }),
      );
      r.fake.behaviour.outputBytes = () => clip;
      const jobId = await r.generate({ id, type: "shot.generate", params: { prompt: id } });
      await r.until(`shot ${id}`, async () => (await r.job(jobId)).job.state === "succeeded");
      // Its poster and facts follow the completion, made beside the next job.
      return await r.until(`shot ${id}'s poster`, async () => {
        const [take] = await r.takes(id);
        return take?.posterUrl ? take : undefined;
      });
    };
    const red = await shot("a", "red");
    const blue = await shot("b", "blue");

    // A ComfyUI take: its poster and facts came from the agent's ffmpeg.
    assert.deepEqual(red.media, {
      durationSeconds: 3,
      fps: 16,
      width: 832,
      height: 480,
      hasAudio: true,
    });
    assert.equal(blue.media?.hasAudio, false);
    const poster = await fetch(red.posterUrl!);
    assert.equal(poster.headers.get("content-type"), "image/jpeg");
    await Deno.writeFile(`${dir}/poster.jpg`, new Uint8Array(await poster.arrayBuffer()));
    assert.equal((await inspect(`${dir}/poster.jpg`)).width, 480);
    assert.ok(near(await pixelAt(`${dir}/poster.jpg`, 0, 240, 138), [255, 0, 0]));

    const render = async () => {
      const { job } = await enqueueRender(r.edge.t.deps, {
        projectId: r.projectId,
        userId: r.user.id,
        params: {
          cutId: "cut-main",
          cutName: "Main",
          revision: 3,
          format: { width: 640, height: 360, fps: 24 },
          video: [
            { clipId: "c1", input: "ta", in: 0, out: 48, transition: null },
            { clipId: "c2", input: "tb", in: 0, out: 48, transition: null },
            { clipId: "c3", input: "ta", in: 24, out: 48, transition: null },
          ],
          audio: [],
        },
        inputs: { ta: red.id, tb: blue.id },
      });
      await r.until("the render", async () => {
        const { job: now } = await r.job(job.id);
        if (now.state === "failed") throw new Error(`render failed: ${now.error}`);
        return now.state === "succeeded";
      });
      return await r.until("the render's poster", async () => {
        const [film] = await r.takes("cut-main");
        return film?.jobId === job.id && film.posterUrl ? film : undefined;
      });
    };

    const film = await render();
    assert.equal(film.name, "Main_v01.mp4");
    assert.equal(film.lineage.nodeType, "cut.render");
    assert.deepEqual(film.media, {
      durationSeconds: 5,
      fps: 24,
      width: 640,
      height: 360,
      hasAudio: true,
    });
    assert.ok(film.posterUrl, "the film has a poster");
    await Deno.writeFile(
      `${dir}/film.mp4`,
      new Uint8Array(await (await fetch(film.url)).arrayBuffer()),
    );
    assert.equal((await inspect(`${dir}/film.mp4`)).frames, 120);
    assert.ok(near(await pixelOfFrame(`${dir}/film.mp4`, 47, 320, 180), [255, 0, 0]));
    assert.ok(near(await pixelOfFrame(`${dir}/film.mp4`, 48, 320, 180), [0, 0, 255]));
    assert.ok(near(await pixelOfFrame(`${dir}/film.mp4`, 96, 320, 180), [255, 0, 0]));
    assert.deepEqual(takeGets.length, 2, "each take fetched once, though red plays twice");

    const second = await render();
    assert.equal(second.name, "Main_v02.mp4");
    assert.equal(takeGets.length, 2, "the second render fetched nothing: the takes were cached");
    assert.match(
      agent.screen.join(""),
      /rendering the picture/,
      "the agent showed the render's progress",
    );
    agent.signal();
    assert.equal(await agent.exit, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
