import assert from "node:assert/strict";
import type { BackendJob, JobInput, ProgressReport } from "../backend.ts";
import { JobFailure } from "../backend.ts";
import { MemoryLogger } from "../../log/memory_logger.ts";
import { FfmpegBackend } from "./ffmpeg_backend.ts";
import { inspect, makeClip, near, pixelAt } from "./test_media.ts";

const backend = new FfmpegBackend({
  downloadRetry: { baseDelayMs: 1, random: () => 0, logger: new MemoryLogger() },
});

/** A job in its own temp work folder with clips made on the spot. */
async function job(
  nodeType: string,
  params: Record<string, unknown>,
  clips: Record<string, Parameters<typeof makeClip>[1]>,
): Promise<BackendJob & AsyncDisposable> {
  const workDir = await Deno.makeTempDir({ prefix: "md-job-" });
  const sourceDir = await Deno.makeTempDir({ prefix: "md-src-" });
  const inputs: JobInput[] = [];
  for (const [socket, spec] of Object.entries(clips)) {
    const path = await makeClip(`${sourceDir}/${socket}.mp4`, spec);
    inputs.push({ socket, url: `file://${path}`, contentType: "video/mp4" });
  }
  return {
    jobId: crypto.randomUUID(),
    nodeType,
    tier: "standard",
    params,
    inputs,
    workDir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(workDir, { recursive: true });
      await Deno.remove(sourceDir, { recursive: true });
    },
  };
}

function run(j: BackendJob, signal = new AbortController().signal) {
  const progress: ProgressReport[] = [];
  return { progress, result: backend.run(j, { signal, onProgress: (r) => progress.push(r) }) };
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

Deno.test("transition: a crossfade between clips of different size, rate and format", async () => {
  await using j = await job("transition", { kind: "crossfade", seconds: 0.5 }, {
    from: { size: "320x240", rate: 25 },
    to: { size: "640x360", rate: 30, pixelFormat: "yuv444p", audio: true },
  });
  const { progress, result } = run(j);
  const { outputs } = await result;
  assert.deepEqual(outputs.map((o) => [o.contentType, o.ext]), [["video/mp4", "mp4"]]);
  const out = await inspect(outputs[0]!.path);
  // 2 s + 2 s − 0.5 s of overlap, on the 'from' clip's canvas and rate.
  assert.equal(out.width, 320);
  assert.equal(out.height, 240);
  assert.ok(Math.abs(out.durationSeconds - 3.5) < 0.1, `duration ${out.durationSeconds}`);
  // 0.5 s is 12.5 frames at 25 fps: each junction may round by a frame.
  assert.ok(Math.abs(out.frames - 3.5 * 25) <= 2, `frames ${out.frames}`);
  assert.equal(progress.at(-1)!.percent, 100);
  assert.ok(progress.every((p, i) => i === 0 || p.percent >= progress[i - 1]!.percent));
});

Deno.test("transition: mid-crossfade the picture is half of each clip", async () => {
  await using j = await job("transition", { kind: "crossfade", seconds: 1 }, {
    from: { source: "color=c=red" },
    to: { source: "color=c=blue" },
  });
  const path = (await run(j).result).outputs[0]!.path;
  assert.ok(near(await pixelAt(path, 0.5, 160, 120), RED));
  assert.ok(near(await pixelAt(path, 1.5, 160, 120), [128, 0, 128], 40));
  assert.ok(near(await pixelAt(path, 2.6, 160, 120), BLUE));
});

Deno.test("transition: mid-wipe one side shows each clip", async () => {
  await using j = await job("transition", { kind: "wipeleft", seconds: 1 }, {
    from: { source: "color=c=red" },
    to: { source: "color=c=blue" },
  });
  const path = (await run(j).result).outputs[0]!.path;
  const left = await pixelAt(path, 1.5, 20, 120);
  const right = await pixelAt(path, 1.5, 300, 120);
  assert.ok(near(left, RED) !== near(right, RED), `left ${left} right ${right}`);
  assert.ok(near(left, BLUE) || near(right, BLUE));
});

Deno.test("transition: seconds longer than a clip fail validation naming the field", async () => {
  await using j = await job("transition", { seconds: 5 }, {
    from: { seconds: 2 },
    to: { seconds: 2 },
  });
  await assert.rejects(
    run(j).result,
    (e) =>
      e instanceof JobFailure && e.code === "validation" && !e.retriable &&
      /seconds \(5\) must be shorter than both clips/.test(e.message),
  );
});

Deno.test("composite: normal blend at half opacity mixes the two clips", async () => {
  await using j = await job("composite", { blend: "normal", opacity: 0.5 }, {
    base: { source: "color=c=red", audio: true },
    overlay: { source: "color=c=blue", size: "640x480", rate: 30 },
  });
  const path = (await run(j).result).outputs[0]!.path;
  const out = await inspect(path);
  assert.deepEqual([out.width, out.height, out.hasAudio], [320, 240, true]);
  assert.ok(Math.abs(out.durationSeconds - 2) < 0.1);
  assert.ok(near(await pixelAt(path, 1, 160, 120), [128, 0, 128], 40));
});

Deno.test("composite: screen of red over blue gives magenta; multiply by white keeps red", async () => {
  await using screen = await job("composite", { blend: "screen" }, {
    base: { source: "color=c=blue" },
    overlay: { source: "color=c=red" },
  });
  assert.ok(
    near(await pixelAt((await run(screen).result).outputs[0]!.path, 1, 160, 120), [255, 0, 255]),
  );
  await using multiply = await job("composite", { blend: "multiply" }, {
    base: { source: "color=c=red" },
    overlay: { source: "color=c=white" },
  });
  assert.ok(near(await pixelAt((await run(multiply).result).outputs[0]!.path, 1, 160, 120), RED));
});

Deno.test("composite: a mask shows the overlay only where it is white", async () => {
  await using j = await job("composite", { blend: "normal" }, {
    base: { source: "color=c=red" },
    overlay: { source: "color=c=blue" },
    mask: { source: "color=c=black", draw: "drawbox=x=0:y=0:w=160:h=240:color=white:t=fill" },
  });
  const path = (await run(j).result).outputs[0]!.path;
  assert.ok(near(await pixelAt(path, 1, 40, 120), BLUE));
  assert.ok(near(await pixelAt(path, 1, 280, 120), RED));
});

Deno.test("composite: a bad opacity names the field", async () => {
  await using j = await job("composite", { opacity: 2 }, { base: {}, overlay: {} });
  await assert.rejects(
    run(j).result,
    (e) =>
      e instanceof JobFailure && e.code === "validation" && /^params\.opacity:/.test(e.message),
  );
});

Deno.test("composite: a missing required input names the socket", async () => {
  await using j = await job("composite", {}, { base: {} });
  await assert.rejects(run(j).result, /composite needs an input on socket 'overlay'/);
});

Deno.test("upscale: doubles the size and keeps length, frames and sound", async () => {
  await using j = await job("upscale", { factor: 2, filter: "lanczos" }, {
    video: { audio: true },
  });
  const out = await inspect((await run(j).result).outputs[0]!.path);
  assert.deepEqual([out.width, out.height, out.frames, out.hasAudio], [640, 480, 50, true]);
  assert.ok(Math.abs(out.durationSeconds - 2) < 0.1);
});

Deno.test("upscale: odd results are rounded to even sizes (spline, 1.5x of 322x242)", async () => {
  await using j = await job("upscale", { factor: 1.5, filter: "spline" }, {
    video: { size: "322x242" },
  });
  const out = await inspect((await run(j).result).outputs[0]!.path);
  assert.deepEqual([out.width, out.height], [482, 362]);
});

Deno.test("cancel mid-run kills ffmpeg and fails with code 'canceled'", async () => {
  await using j = await job("upscale", { factor: 4, filter: "lanczos" }, {
    video: { seconds: 30, size: "640x480" },
  });
  const controller = new AbortController();
  const progress: ProgressReport[] = [];
  const result = backend.run(j, {
    signal: controller.signal,
    onProgress: (r) => {
      progress.push(r);
      // Abort once ffmpeg reports it is encoding.
      if (r.percent > 0 && r.percent < 100) controller.abort();
    },
  });
  const error = await result.then(() => null, (e) => e);
  assert.ok(error instanceof JobFailure, String(error));
  assert.equal(error.code, "canceled");
  assert.ok(progress.at(-1)!.percent < 100);
});

Deno.test("probe() reports the version and what this ffmpeg can run; canRun follows it", async () => {
  const fresh = new FfmpegBackend();
  assert.equal(fresh.canRun("transition", "standard"), false, "nothing runs before a probe");
  const status = await fresh.probe();
  assert.equal(status.kind, "ffmpeg");
  assert.equal(status.healthy, true);
  assert.match(status.version ?? "", /^\d|^n\d|^N-/);
  assert.deepEqual(status.templates.sort(), ["composite", "cut.render", "transition", "upscale"]);
  assert.equal(fresh.canRun("transition", "standard"), true);
  // The cut's render is no node, but it is advertised and matched like one.
  assert.equal(fresh.canRun("cut.render", "standard"), true);
  assert.ok(status.runnable?.some((w) => w.nodeType === "cut.render" && w.tier === "standard"));
  assert.equal(
    fresh.canRun("upscale", "high"),
    false,
    "ffmpeg nodes run at the standard tier only",
  );
  assert.equal(fresh.canRun("shot.generate", "standard"), false);
});

Deno.test("probe() without ffmpeg is unhealthy with the install fix", async () => {
  const missing = new FfmpegBackend({ ffmpeg: "/nonexistent/ffmpeg" });
  const status = await missing.probe();
  assert.equal(status.healthy, false);
  assert.equal(status.version, null);
  assert.match(status.problem ?? "", /install ffmpeg: (apt-get|brew|winget) install ffmpeg/);
  assert.equal(missing.canRun("transition", "standard"), false);
});
