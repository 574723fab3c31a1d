/**
 * A video take is delivered as soon as it is uploaded: the job completes at the edge and the
 * agent claims its next job while ffmpeg is still making the take's poster frame, which reaches
 * the edge (with ffprobe's facts) afterwards. Posters are made one job at a time, and do not
 * pile up: past the backlog (here 4 jobs waiting beside a fifth), the agent claims nothing more.
 * A drain waits for the posters.
 */
import assert from "node:assert/strict";
import type { VideoDescription } from "../../gpu-agent/backends/backend.ts";
import { inspect, makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import type { TraceEvent } from "../../gpu-agent/run/trace.ts";
import { rig } from "./rig.ts";

const node = (id: string) => ({ id, type: "shot.generate", title: id, x: 0, y: 0, params: {} });

Deno.test("a video take is ready before its poster exists; the next job is claimed meanwhile; the poster and facts follow", async () => {
  await using r = await rig();
  const dir = await Deno.makeTempDir({ prefix: "md-agent-late-poster-" });
  // ffmpeg's describing waits until the test lets it go (at the latest when it ends).
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => letGo = resolve);
  try {
    const clip = await Deno.readFile(
      await makeClip(`${dir}/shot.mp4`, { size: "832x480", rate: 16, seconds: 2 }),
    );
    r.fake.behaviour.outputBytes = () => clip;
    const ids = ["a", "b", "c", "d", "e", "f"];
    await r.saveGraph({ nodes: Object.fromEntries(ids.map((id) => [id, node(id)])), edges: {} });
    const jobs: string[] = [];
    for (const id of ids) {
      jobs.push(await r.generate({ id, type: "shot.generate", params: { prompt: id } }));
    }
    const [first, second] = jobs as [string, string];

    const describing: string[] = [];
    const trace: TraceEvent[] = [];
    const agent = r.startAgent({
      trace: (event) => trace.push(event),
      posterBacklog: 4,
      backends: (backends) => {
        const ffmpeg = backends.find((b) => b.kind === "ffmpeg")!;
        const describe = ffmpeg.describeVideo!.bind(ffmpeg);
        ffmpeg.describeVideo = async (path, signal): Promise<VideoDescription> => {
          describing.push(path);
          await gate;
          return await describe(path, signal);
        };
        return backends;
      },
    });

    const succeeded = (jobId: string, what: string) =>
      r.until(what, async () => {
        const { job } = await r.job(jobId);
        if (job.state === "failed") throw new Error(`failed: ${job.error}`);
        return job.state === "succeeded";
      });
    await succeeded(first, "the first job to succeed");
    const [bare] = await r.takes("a");
    assert.deepEqual([bare!.posterUrl, bare!.media], [null, null], "delivered before its poster");
    await r.until(
      "the next job claimed while the first one's poster is being made",
      () => trace.some((e) => e.type === "claimed" && e.jobId === second),
    );
    assert.equal(describing.length, 1, "the first take's poster is under way");
    assert.ok(!trace.some((e) => e.type === "described"), "and not done");

    // Four more takes are delivered while the first one's poster is made; theirs wait their
    // turn. With five jobs waiting for posters, the sixth job is not claimed.
    for (const [i, jobId] of jobs.slice(1, 5).entries()) {
      await succeeded(jobId, `job ${i + 2} to succeed`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(describing.length, 1, "one poster at a time");
    assert.equal((await r.job(jobs[5]!)).job.state, "queued", "no claim while five posters wait");

    // Ctrl-C now: the agent claims nothing more, but makes the posters before it exits.
    agent.signal();
    const early = await Promise.race([
      agent.exit.then(() => "exited"),
      new Promise((resolve) => setTimeout(resolve, 300, "waiting")),
    ]);
    assert.equal(early, "waiting", "a drain waits for the poster");
    letGo();
    assert.equal(await agent.exit, 0);
    assert.equal((await r.job(jobs[5]!)).job.state, "queued", "the drain claimed nothing more");
    assert.equal(describing.length, 5);

    for (const [i, id] of ids.slice(0, 5).entries()) {
      const jobId = jobs[i]!;
      const [take] = await r.takes(id);
      assert.equal(take!.jobId, jobId);
      assert.deepEqual(take!.media, {
        durationSeconds: 2,
        fps: 16,
        width: 832,
        height: 480,
        hasAudio: false,
      });
      const poster = await fetch(take!.posterUrl!);
      assert.equal(poster.headers.get("content-type"), "image/jpeg");
      await Deno.writeFile(`${dir}/${id}.jpg`, new Uint8Array(await poster.arrayBuffer()));
      assert.equal((await inspect(`${dir}/${id}.jpg`)).width, 480);
    }
    const order = trace.filter((e) => e.jobId === first).map((e) => e.type);
    assert.deepEqual(order.slice(order.indexOf("completed")), [
      "completed",
      "described",
      "settled",
    ]);
    assert.ok(
      trace.findIndex((e) => e.type === "claimed" && e.jobId === second) <
        trace.findIndex((e) => e.type === "described" && e.jobId === first),
      "the second job was claimed before the first one's poster was done",
    );
  } finally {
    letGo();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a video the agent cannot describe stays a ready take without a poster, with a warning; the next one gets its poster", async () => {
  await using r = await rig();
  const dir = await Deno.makeTempDir({ prefix: "md-agent-no-poster-" });
  try {
    const clip = await Deno.readFile(await makeClip(`${dir}/shot.mp4`, { seconds: 1 }));
    r.fake.behaviour.outputBytes = () => clip;
    await r.saveGraph({ nodes: { a: node("a"), b: node("b") }, edges: {} });
    const first = await r.generate({ id: "a", type: "shot.generate", params: { prompt: "a" } });
    const second = await r.generate({ id: "b", type: "shot.generate", params: { prompt: "b" } });
    let calls = 0;
    const agent = r.startAgent({
      backends: (backends) => {
        const ffmpeg = backends.find((b) => b.kind === "ffmpeg")!;
        const describe = ffmpeg.describeVideo!.bind(ffmpeg);
        ffmpeg.describeVideo = (path, signal) =>
          ++calls === 1
            ? Promise.reject(new Error("ffprobe: invalid data found"))
            : describe(path, signal);
        return backends;
      },
    });
    await r.until("the second take's poster", async () => (await r.takes("b"))[0]?.posterUrl);
    agent.signal();
    assert.equal(await agent.exit, 0);
    assert.equal((await r.job(first)).job.state, "succeeded", "a poster is never a failed job");
    assert.equal((await r.job(second)).job.state, "succeeded");
    const [bare] = await r.takes("a");
    assert.deepEqual([bare!.posterUrl, bare!.media], [null, null]);
    assert.equal(
      agent.logger.matching(/no poster or facts for .*ffprobe: invalid data found/).length,
      1,
      agent.logger.lines.map((l) => l.message).join("\n"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
