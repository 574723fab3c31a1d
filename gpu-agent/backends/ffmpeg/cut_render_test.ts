/**
 * The `cut.render` job on the real ffmpeg: clips of distinct solid colours, so a frame shows
 * which clip it came from, checked with ffprobe and with frames picked by `select`.
 */
import assert from "node:assert/strict";
import type { CutRenderParams } from "../../../protocol/cut.ts";
import { createHash } from "node:crypto";
import type { BackendJob, JobInput, ProgressReport } from "../backend.ts";
import { JobFailure } from "../backend.ts";
import { MemoryLogger } from "../../log/memory_logger.ts";
import { FfmpegBackend } from "./ffmpeg_backend.ts";
import { MAX_SEGMENT_INPUTS } from "./plans/cut_render.ts";
import {
  type ClipSpec,
  inspect,
  makeClip,
  makeTone,
  near,
  peakDb,
  pixelOfFrame,
  streams,
} from "./test_media.ts";

const backend = new FfmpegBackend({
  downloadRetry: { baseDelayMs: 1, random: () => 0, logger: new MemoryLogger() },
});
await backend.probe();

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const RED = [255, 0, 0];
const LIME = [0, 255, 0];
const BLUE = [0, 0, 255];
const BLACK = [0, 0, 0];

type Source = ClipSpec | { tone: number; seconds: number; channels?: number };

/** Files made on the spot, served from `file://` URLs, with their SHA-256 like the edge's. */
async function media(sources: Record<string, Source>) {
  const dir = await Deno.makeTempDir({ prefix: "md-cut-src-" });
  const inputs: JobInput[] = [];
  for (const [name, spec] of Object.entries(sources)) {
    const path = "tone" in spec
      ? await makeTone(`${dir}/${name}.wav`, {
        frequency: spec.tone,
        seconds: spec.seconds,
        ...(spec.channels ? { channels: spec.channels } : {}),
      })
      : await makeClip(`${dir}/${name}.mp4`, spec);
    inputs.push({
      socket: name,
      url: `file://${path}`,
      contentType: "tone" in spec ? "audio/wav" : "video/mp4",
      sha256: sha256Hex(await Deno.readFile(path)),
    });
  }
  return {
    inputs,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A render job in its own work folder, with a cache folder that may outlive it. */
async function job(
  params: Omit<CutRenderParams, "cutId" | "cutName" | "revision"> & Partial<CutRenderParams>,
  inputs: JobInput[],
  cacheDir?: string,
): Promise<BackendJob & AsyncDisposable> {
  const workDir = await Deno.makeTempDir({ prefix: "md-cut-job-" });
  return {
    jobId: crypto.randomUUID(),
    nodeType: "cut.render",
    tier: "standard",
    params: { cutId: "cut-1", cutName: "Main", revision: 1, ...params },
    inputs,
    workDir,
    cacheDir: cacheDir ?? `${workDir}/cache`,
    async [Symbol.asyncDispose]() {
      await Deno.remove(workDir, { recursive: true });
    },
  };
}

function run(j: BackendJob, signal = new AbortController().signal) {
  const progress: ProgressReport[] = [];
  return { progress, result: backend.run(j, { signal, onProgress: (r) => progress.push(r) }) };
}

const video = (
  clipId: string,
  input: string | null,
  from: number,
  to: number,
  transition: CutRenderParams["video"][number]["transition"] = null,
) => ({ clipId, input, in: from, out: to, transition });

Deno.test("cut.render: three clips with a dissolve and an audio bed make the film the cut describes", async () => {
  await using m = await media({
    // Different sizes, rates and sound: each is conformed to the cut's format.
    a: { source: "color=c=red", size: "320x240", rate: 25, seconds: 2, audio: true },
    b: { source: "color=c=lime", size: "640x480", rate: 30, seconds: 2 },
    c: { source: "color=c=blue", size: "320x240", rate: 24, seconds: 3, audio: true },
    bed: { tone: 220, seconds: 5 },
  });
  await using j = await job({
    format: { width: 640, height: 360, fps: 24 },
    video: [
      video("a", "a", 0, 36, { kind: "dissolve", frames: 12 }),
      video("b", "b", 0, 36),
      video("c", "c", 12, 48),
    ],
    audio: [{ clipId: "m", input: "bed", start: 0, in: 0, out: 96, gainDb: -6 }],
  }, m.inputs);
  const { progress, result } = run(j);
  const { outputs } = await result;
  assert.deepEqual(outputs.map((o) => [o.contentType, o.ext]), [["video/mp4", "mp4"]]);
  const path = outputs[0]!.path;

  // 36 + 36 + 36 frames less the 12 they share: 96 frames, 4 s.
  const out = await inspect(path);
  assert.ok(Math.abs(out.durationSeconds - 4) <= 1 / 24, `duration ${out.durationSeconds}`);
  const [picture, sound, ...more] = await streams(path);
  assert.equal(more.length, 0, "one picture and one sound stream");
  assert.equal(picture!.codec_type, "video");
  assert.equal(picture!.codec_name, "h264");
  assert.deepEqual([picture!.width, picture!.height], [640, 360]);
  assert.equal(picture!.r_frame_rate, "24/1");
  assert.equal(Number(picture!.nb_read_frames), 96);
  assert.equal(sound!.codec_type, "audio");
  assert.equal(sound!.codec_name, "aac");
  assert.deepEqual([Number(sound!.sample_rate), sound!.channels], [48000, 2]);

  // a fills frames 0-35, b comes in over 24-35, c takes over at 60 on a cut.
  assert.ok(near(await pixelOfFrame(path, 12, 320, 180), RED));
  const middle = await pixelOfFrame(path, 30, 320, 180);
  assert.ok(near(middle, [128, 128, 0], 40), `mid-dissolve frame 30 is ${middle}`);
  assert.ok(near(await pixelOfFrame(path, 45, 320, 180), LIME));
  assert.ok(near(await pixelOfFrame(path, 59, 320, 180), LIME));
  assert.ok(near(await pixelOfFrame(path, 60, 320, 180), BLUE));
  // b is 4:3 in a 16:9 frame: scaled to fit, with black bars either side.
  assert.ok(near(await pixelOfFrame(path, 45, 20, 180), BLACK));
  // b has no sound of its own; the bed plays under it.
  assert.ok((await peakDb(path, 1.6, 2.4)) > -40, "the bed is heard under the silent clip");

  assert.equal(progress.at(-1)!.percent, 100);
  assert.ok(progress.every((p, i) => i === 0 || p.percent >= progress[i - 1]!.percent));
});

Deno.test("cut.render: a gap is black and silent for exactly its length", async () => {
  await using m = await media({
    a: { source: "color=c=red", seconds: 2, audio: true },
    c: { source: "color=c=blue", seconds: 2, audio: true },
  });
  await using j = await job({
    format: { width: 320, height: 240, fps: 24 },
    video: [video("a", "a", 0, 24), video("gap", null, 0, 24), video("c", "c", 0, 24)],
    audio: [],
  }, m.inputs);
  const path = (await run(j).result).outputs[0]!.path;
  const out = await inspect(path);
  assert.equal(out.frames, 72);
  assert.ok(near(await pixelOfFrame(path, 23, 160, 120), RED));
  assert.ok(near(await pixelOfFrame(path, 24, 160, 120), BLACK));
  assert.ok(near(await pixelOfFrame(path, 47, 160, 120), BLACK));
  assert.ok(near(await pixelOfFrame(path, 48, 160, 120), BLUE));
  assert.ok((await peakDb(path, 0.2, 0.8)) > -40, "the first clip's sound plays");
  assert.ok((await peakDb(path, 1.1, 1.9)) < -60, "the gap is silent");
});

Deno.test("cut.render: a take shorter than its clip holds its last frame; sound past the picture runs on black", async () => {
  await using m = await media({
    a: { source: "color=c=red", seconds: 1 },
    bed: { tone: 330, seconds: 3 },
  });
  await using j = await job({
    format: { width: 320, height: 240, fps: 24 },
    video: [video("a", "a", 0, 48)],
    audio: [{ clipId: "m", input: "bed", start: 24, in: 0, out: 48, gainDb: 0 }],
  }, m.inputs);
  const path = (await run(j).result).outputs[0]!.path;
  const out = await inspect(path);
  // The bed ends at frame 72: the film lasts until then, black after the picture.
  assert.equal(out.frames, 72);
  assert.ok(near(await pixelOfFrame(path, 47, 160, 120), RED));
  assert.ok(near(await pixelOfFrame(path, 60, 160, 120), BLACK));
  assert.ok((await peakDb(path, 0.1, 0.9)) < -60, "nothing sounds before the bed starts");
  assert.ok((await peakDb(path, 2.2, 2.8)) > -40, "the bed plays over the black");
});

Deno.test("cut.render: names with quotes, ';', '[' and ',' are harmless; bad ids are refused by field", async () => {
  await using m = await media({ a: { source: "color=c=red", seconds: 1 } });
  const name = `Bob's "cut"; [v1], final`;
  await using ok = await job({
    cutName: name,
    format: { width: 320, height: 240, fps: 24 },
    video: [video("a", "a", 0, 12)],
    audio: [],
  }, m.inputs);
  assert.equal((await inspect((await run(ok).result).outputs[0]!.path)).frames, 12);

  for (
    const [clipId, input, field] of [
      [`a'b`, "a", "params.video.0.clipId"],
      ["a", "a;b", "params.video.0.input"],
      ["a", "a[0:v]", "params.video.0.input"],
      ["a,b", "a", "params.video.0.clipId"],
    ]
  ) {
    await using bad = await job({
      format: { width: 320, height: 240, fps: 24 },
      video: [video(clipId!, input!, 0, 12)],
      audio: [],
    }, m.inputs);
    await assert.rejects(
      run(bad).result,
      (e) =>
        e instanceof JobFailure && e.code === "validation" && !e.retriable &&
        e.message.startsWith(`${field}:`),
      `${clipId} / ${input}`,
    );
  }
});

Deno.test("cut.render: params that break the cut's rules fail naming the field", async () => {
  await using m = await media({ a: { source: "color=c=red", seconds: 1 } });
  const cases: [CutRenderParams["video"], RegExp][] = [
    [
      [video("a", "a", 0, 10, { kind: "wipeleft", frames: 12 }), video("b", "a", 0, 20)],
      /^params\.video\.0\.transition: clip a is 10 frames long, shorter than its transitions/,
    ],
    [
      [video("a", "a", 0, 10), video("b", "missing", 0, 10)],
      /^params\.video\.1\.input: the job has no input 'missing'/,
    ],
    [[video("a", "a", 100, 110)], /^params\.video\.0\.in: frame 100 is past the end of input 'a'/],
  ];
  for (const [clips, message] of cases) {
    await using bad = await job({
      format: { width: 320, height: 240, fps: 24 },
      video: clips,
      audio: [],
    }, m.inputs);
    await assert.rejects(
      run(bad).result,
      (e) => e instanceof JobFailure && e.code === "validation" && message.test(e.message),
      String(message),
    );
  }
});

Deno.test("cut.render: cancel kills the running ffmpeg and leaves none behind", async () => {
  await using m = await media({ a: { source: "testsrc2", size: "1280x720", seconds: 20 } });
  await using j = await job({
    format: { width: 1280, height: 720, fps: 24 },
    video: [video("a", "a", 0, 480)],
    audio: [],
  }, m.inputs);
  const controller = new AbortController();
  const progress: ProgressReport[] = [];
  const result = backend.run(j, {
    signal: controller.signal,
    onProgress: (r) => {
      progress.push(r);
      if (r.message.startsWith("rendering the picture") && r.percent > 6) controller.abort();
    },
  });
  const error = await result.then(() => null, (e) => e);
  assert.ok(error instanceof JobFailure, String(error));
  assert.equal(error.code, "canceled");
  assert.ok(progress.at(-1)!.percent < 90);
  assert.deepEqual(await _ffmpegsIn(j.workDir), [], "no ffmpeg is left writing into the job");
});

Deno.test("cut.render: a take already in the cache is not downloaded again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-cut-cache-" });
  const clip = await makeClip(`${dir}/take.mp4`, { source: "color=c=red", seconds: 1 });
  const bytes = await Deno.readFile(clip);
  let downloads = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    downloads++;
    return new Response(bytes, { headers: { "content-type": "video/mp4" } });
  });
  const input: JobInput = {
    socket: "a",
    url: `http://127.0.0.1:${server.addr.port}/take.mp4?sig=1`,
    contentType: "video/mp4",
    sha256: sha256Hex(bytes),
  };
  try {
    const params = {
      format: { width: 320, height: 240, fps: 24 },
      // One take played by two clips is fetched once, too.
      video: [video("a", "a", 0, 12), video("b", "a", 6, 18)],
      audio: [],
    };
    for (let i = 0; i < 2; i++) {
      await using j = await job(params, [input], `${dir}/cache`);
      assert.equal((await inspect((await run(j).result).outputs[0]!.path)).frames, 24);
    }
    assert.equal(downloads, 1, "the second render read the take from the cache");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Processes named ffmpeg whose command line mentions `dir`. */
async function _ffmpegsIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    const [command, ...args] = cmdline.split("\0");
    if (command?.endsWith("ffmpeg") && args.some((a) => a.includes(dir))) found.push(entry.name);
  }
  return found;
}

Deno.test("cut.render: audio gains are what they say; mixing does not lower them", async () => {
  await using m = await media({
    a: { source: "color=c=red", seconds: 4 },
    // Stereo: a mono take is placed 3 dB down on each side (the equal-power pan law).
    tone: { tone: 330, seconds: 3, channels: 2 },
  });
  await using j = await job({
    format: { width: 320, height: 240, fps: 24 },
    video: [video("a", "a", 0, 96)],
    audio: [
      { clipId: "loud", input: "tone", start: 0, in: 0, out: 48, gainDb: 0 },
      { clipId: "soft", input: "tone", start: 48, in: 0, out: 48, gainDb: -6 },
    ],
  }, m.inputs);
  const path = (await run(j).result).outputs[0]!.path;
  const source = await peakDb(m.inputs[1]!.url.slice("file://".length), 0.5, 1.5);
  const loud = await peakDb(path, 0.3, 1.7);
  const soft = await peakDb(path, 2.3, 3.7);
  assert.ok(Math.abs(loud - source) <= 1, `0 dB plays at the source's level: ${loud} vs ${source}`);
  assert.ok(Math.abs(loud - soft - 6) <= 1, `-6 dB is 6 dB softer: ${loud} vs ${soft}`);
});

Deno.test("cut.render: the health check starts no ffmpeg beside a running render", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-cut-probe-" });
  // ffmpeg as the agent finds it, writing down each way it is started.
  const log = `${dir}/calls.log`;
  const wrapper = `${dir}/ffmpeg`;
  await Deno.writeTextFile(wrapper, `#!/bin/sh\necho "$1 $2" >> '${log}'\nexec ffmpeg "$@"\n`);
  await Deno.chmod(wrapper, 0o755);
  const watched = new FfmpegBackend({ ffmpeg: wrapper });
  await watched.probe();
  const probeCalls = async () =>
    (await Deno.readTextFile(log)).split("\n").filter((l) => /-version|-filters|-encoders/.test(l))
      .length;
  const before = await probeCalls();
  assert.ok(before >= 3, "a probe asks ffmpeg for its version, filters and encoders");
  try {
    await using m = await media({ a: { source: "testsrc2", size: "1280x720", seconds: 8 } });
    await using j = await job({
      format: { width: 1280, height: 720, fps: 24 },
      video: [video("a", "a", 0, 192)],
      audio: [],
    }, m.inputs);
    let rendering!: () => void;
    const started = new Promise<void>((resolve) => rendering = resolve);
    const result = watched.run(j, {
      signal: new AbortController().signal,
      onProgress: (r) => {
        if (r.message.startsWith("rendering the picture")) rendering();
      },
    });
    await started;
    const status = await watched.probe();
    assert.equal(status.healthy, true);
    assert.equal(await probeCalls(), before, "the status stood while the render ran");
    await result;
    await watched.probe();
    assert.equal(await probeCalls(), before * 2, "and it is checked again once the render is done");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cut.render: each picture ffmpeg opens at most MAX_SEGMENT_INPUTS files, one decoder thread each; the film starts with its index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-cut-argv-" });
  // ffmpeg as the agent finds it, writing down every argv it is started with, one line each.
  const log = `${dir}/argv.log`;
  const wrapper = `${dir}/ffmpeg`;
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\nprintf '%s\\t' "$@" >> '${log}'\necho >> '${log}'\nexec ffmpeg "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  const watched = new FfmpegBackend({ ffmpeg: wrapper });
  try {
    const colours = ["red", "lime", "blue", "yellow", "cyan", "magenta"];
    await using m = await media({
      ...Object.fromEntries(
        colours.map((c) => [c, { source: `color=c=${c}`, seconds: 1, audio: true }]),
      ),
      bed: { tone: 220, seconds: 6 },
    });
    await using j = await job({
      format: { width: 320, height: 240, fps: 24 },
      // Six files, a transition in the middle: more than one segment's worth.
      video: colours.map((c, i) =>
        video(c, c, 0, 24, i === 2 ? { kind: "dissolve", frames: 6 } : null)
      ),
      audio: [{ clipId: "bed", input: "bed", start: 0, in: 0, out: 138, gainDb: -6 }],
    }, m.inputs);
    const path = (await watched.run(j, {
      signal: new AbortController().signal,
      onProgress: () => {},
    })).outputs[0]!.path;
    assert.equal((await inspect(path)).frames, 6 * 24 - 6);

    const runs = (await Deno.readTextFile(log)).split("\n").filter((l) => l.includes(j.workDir))
      .map((l) => l.split("\t").filter(Boolean));
    const files = (args: string[]) =>
      args.flatMap((a, i) => args[i - 1] === "-i" && a.startsWith("file:") ? [i] : []);
    const pictures = runs.filter((args) => args.includes("-an"));
    assert.ok(pictures.length >= 2, `the picture is made in segments: ${pictures.length}`);
    for (const args of pictures) {
      assert.ok(files(args).length <= MAX_SEGMENT_INPUTS, args.join(" "));
    }
    for (const args of runs) {
      for (const i of files(args)) {
        // The options that apply to this input: those since the input before it.
        const own = args.slice(args.lastIndexOf("-i", i - 2) + 1, i - 1);
        // The list of segments is read by the concat demuxer, which decodes nothing.
        if (own.includes("concat")) continue;
        assert.equal(own[own.indexOf("-threads") + 1], "1", `one decoder thread: ${own.join(" ")}`);
      }
    }
    const final = runs.at(-1)!;
    assert.ok(
      !final.includes("-an") && final.includes("copy"),
      "the segments are joined as they are",
    );

    // +faststart: the index comes before the media, so a browser plays while it downloads.
    const bytes = new TextDecoder("latin1").decode(await Deno.readFile(path));
    assert.ok(bytes.indexOf("moov") < bytes.indexOf("mdat"), "moov before mdat");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
