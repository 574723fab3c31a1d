/**
 * The Wan2GP backend in both modes: process mode against the fake wgp.py, gradio mode against
 * the fake Gradio server running the bridge's interface (test/fakes/gradio/apps.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { wan2gpBridgeApp } from "../../../test/fakes/gradio/apps.ts";
import { startFakeGradio } from "../../../test/fakes/gradio/mod.ts";
import { spawnFakeGradio } from "../../../test/fakes/gradio/serve.ts";
import { installFakeWan2gp } from "../../../test/fakes/wan2gp/install.ts";
import { type BackendJob, JobFailure, type ProgressReport } from "../backend.ts";
import { Wan2gpBackend } from "./backend.ts";

const TWELVE_GB = { vramMiB: 12282, ramMiB: 32 * 1024 - 600 };
const CLOSED = "http://127.0.0.1:9"; // nothing listens there: no bridge
const signal = new AbortController().signal;

function backend(dir: string, bridgeUrl = CLOSED, extra = {}) {
  return new Wan2gpBackend({
    dir,
    bridgeUrl,
    python: "python3",
    memory: () => Promise.resolve(TWELVE_GB),
    gradioTiming: { connectTimeoutMs: 2_000, watchdogMs: 200 },
    ...extra,
  });
}

async function shot(extra: Partial<BackendJob> = {}): Promise<BackendJob> {
  return {
    jobId: crypto.randomUUID(),
    nodeType: "shot.generate",
    tier: "low",
    params: { prompt: "a lighthouse at dusk", steps: 4, frames: 17, seed: 11 },
    inputs: [],
    workDir: await Deno.makeTempDir({ prefix: "md-wan2gp-job-" }),
    ...extra,
  };
}

function collect() {
  const reports: ProgressReport[] = [];
  return { reports, onProgress: (r: ProgressReport) => reports.push(r) };
}

async function referenceImage(dir: string) {
  const path = join(dir, "keyframe.png");
  await Deno.copyFile(
    new URL("../../../test/fakes/comfyui/recordings/0.3.64/probe_view.png", import.meta.url),
    path,
  );
  return { socket: "reference", url: `file://${path}`, contentType: "image/png" };
}

Deno.test("process mode: advertises the tiers it has weights for and says why not the others", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const b = backend(wan2gp.dir);
  const status = await b.probe();
  assert.equal(status.healthy, true);
  assert.equal(status.version, "12.60");
  assert.deepEqual(status.runnable, [{ nodeType: "shot.generate", tier: "low" }]);
  const standard = status.blocked!.find((w) => w.tier === "standard")!;
  assert.deepEqual(standard.missingModels, [
    { folder: "ckpts", file: "wan2.2_text2video_5B_quanto_mbf16_int8.safetensors" },
  ]);
  const lines = b.describe();
  assert.match(
    lines[0]!,
    /^mode: process: no bridge answered at http:\/\/127\.0\.0\.1:9; each job runs `python3 wgp\.py --process`/,
  );
  assert.match(
    lines[1]!,
    /start the bridge in Wan2GP's python: python3 .*wan2gp_bridge\.py --wan2gp .* --profile 4 --port 9/,
  );
  assert.ok(lines.includes("memory profile 4: 12 GB VRAM, 32 GB RAM"));
  assert.ok(lines.includes("model types with weights: t2v_1.3B (Wan2.1 Text2video 1.3B)"));
  assert.equal(b.rationale(), "wan2gp profile 4: 12 GB VRAM, 32 GB RAM");
});

Deno.test("process mode: a shot runs through wgp.py with the job's settings and returns its video", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const b = backend(wan2gp.dir);
  await b.probe();
  const job = await shot();
  const { reports, onProgress } = collect();
  const result = await b.run(job, { signal, onProgress });
  assert.equal(result.template, "wan2gp t2v_1.3B");
  assert.equal(result.seed, 11);
  const [video] = result.outputs;
  assert.equal(video!.contentType, "video/mp4");
  assert.ok((await Deno.stat(video!.path)).size > 0);
  assert.deepEqual(reports.filter((r) => r.step).map((r) => r.step!.current), [1, 2, 3, 4]);
  const [call] = await wan2gp.calls();
  assert.deepEqual(call!.settings, {
    model_type: "t2v_1.3B",
    prompt: "a lighthouse at dusk",
    negative_prompt: "",
    resolution: "832x480",
    video_length: 17,
    num_inference_steps: 4,
    guidance_scale: 6,
    seed: 11,
    force_fps: "16",
    repeat_generation: 1,
  });
  assert.deepEqual((call!.argv as string[]).slice(-4), ["--profile", "4", "--attention", "sdpa"]);
  await Deno.remove(job.workDir, { recursive: true });
});

Deno.test("process mode: a reference image starts an image-to-video model type", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B", "ti2v_2_2"] });
  const b = backend(wan2gp.dir);
  await b.probe();
  const job = await shot();
  job.inputs = [await referenceImage(job.workDir)];
  const result = await b.run(job, { signal, onProgress: () => {} });
  assert.equal(result.template, "wan2gp ti2v_2_2");
  const [call] = await wan2gp.calls();
  const settings = call!.settings as Record<string, string>;
  assert.equal(settings.image_prompt_type, "S");
  assert.equal(settings.image_start, join(job.workDir, "input-reference.png"));
  await Deno.remove(job.workDir, { recursive: true });
});

Deno.test("bad params are refused before Wan2GP starts, naming the field", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const b = backend(wan2gp.dir);
  await b.probe();
  const job = await shot({ params: { prompt: "x", width: 833, frames: 0 } });
  await assert.rejects(
    b.run(job, { signal, onProgress: () => {} }),
    (e: JobFailure) =>
      e.code === "validation" && /params\.width/.test(e.message) &&
      /params\.frames/.test(e.message),
  );
  assert.deepEqual(await wan2gp.calls(), [], "wgp.py never ran");
  await Deno.remove(job.workDir, { recursive: true });
});

Deno.test("a folder without wgp.py, or no python, is unhealthy with the fix", async () => {
  const empty = await Deno.makeTempDir();
  const status = await backend(empty).probe();
  assert.equal(status.healthy, false);
  assert.match(
    status.problem!,
    /no wgp\.py in .*: give the folder you cloned Wan2GP into \(--wan2gp PATH or MD_WAN2GP_DIR\)/,
  );
  await Deno.remove(empty);
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const noPython = await backend(wan2gp.dir, CLOSED, { python: "/nonexistent/python" }).probe();
  assert.equal(noPython.healthy, false);
  assert.match(
    noPython.problem!,
    /give its venv's python with --wan2gp-python PATH \(MD_WAN2GP_PYTHON\)/,
  );
});

Deno.test("gradio mode: with the bridge up, jobs go to its endpoint as typed data", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B", "ti2v_2_2"] });
  await using bridge = await startFakeGradio(wan2gpBridgeApp({ profile: 5 }));
  const b = backend(wan2gp.dir, bridge.url);
  const status = await b.probe();
  assert.equal(status.healthy, true);
  assert.match(
    b.describe()[0]!,
    /^mode: gradio: the bridge at .* answers \(profile 5\); the model stays loaded/,
  );
  assert.equal(b.rationale(), "wan2gp (bridge) profile 5: 12 GB VRAM, 32 GB RAM");
  const job = await shot();
  job.inputs = [await referenceImage(job.workDir)];
  const { reports, onProgress } = collect();
  const result = await b.run(job, { signal, onProgress });
  assert.equal(result.template, "wan2gp ti2v_2_2");
  assert.equal(result.outputs[0]!.contentType, "video/mp4");
  assert.ok(reports.some((r) => /Denoising \(\d\/4\)/.test(r.message)));
  const join_ = bridge.requests.find((r) => r.path === "/gradio_api/queue/join")!;
  const [settingsText, image] =
    (join_.body as { data: [string, { path: string; meta: unknown }] }).data;
  const settings = JSON.parse(settingsText);
  assert.equal(settings.prompt, "a lighthouse at dusk");
  assert.equal(settings.image_prompt_type, "S");
  assert.equal(settings.image_start, undefined, "no local path travels: the bridge sets it");
  assert.deepEqual(image.meta, { _type: "gradio.FileData" }, "the image was uploaded");
  assert.deepEqual(await wan2gp.calls(), [], "wgp.py never ran");
  await b.close();
  await Deno.remove(job.workDir, { recursive: true });
});

Deno.test("gradio mode: the bridge killed mid-job is the backend gone; the next probe falls back to process mode", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const server = await spawnFakeGradio({ app: "wan2gp", stepMs: 100 });
  const b = backend(wan2gp.dir, server.url);
  await b.probe();
  const job = await shot({ params: { prompt: "slow", steps: 60 } });
  const { reports, onProgress } = collect();
  const failed = assert.rejects(
    b.run(job, { signal, onProgress }),
    (e: JobFailure) => e.code === "backend_down" && e.infrastructure,
  );
  while (!reports.some((r) => r.step)) await new Promise((r) => setTimeout(r, 20));
  await server.kill();
  await failed;
  await b.probe();
  assert.match(b.describe()[0]!, /^mode: process: no bridge answered/);
  await Deno.remove(job.workDir, { recursive: true });
});

Deno.test("gradio mode: a bridge that stops between jobs is noticed at the next probe", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const bridge = await startFakeGradio(wan2gpBridgeApp());
  const b = backend(wan2gp.dir, bridge.url);
  await b.probe();
  assert.match(b.describe()[0]!, /^mode: gradio/);
  await bridge.stop();
  await b.probe();
  assert.match(b.describe()[0]!, /^mode: process: no bridge answered/);
  await b.close();
});
