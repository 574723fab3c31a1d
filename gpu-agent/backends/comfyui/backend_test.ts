/**
 * The ComfyUI backend end to end against the fake ComfyUI (test/fakes/comfyui), which replays
 * the protocol recorded from real ComfyUI 0.3.64 / 0.8.0.
 */
import assert from "node:assert/strict";
import { type FakeComfyUI, fakeMp4, startFakeComfyUI } from "../../../test/fakes/comfyui/mod.ts";
import { MAX_MODEL_FILES } from "../../../protocol/jobs.ts";
import type { BackendJob, ProgressReport } from "../backend.ts";
import { JobFailure } from "../backend.ts";
import { ComfyUIBackend } from "./backend.ts";
import { loadTemplates, type Template } from "./templates.ts";

const templates = await loadTemplates();

/** Every model file any template needs, by folder. */
function allModels(list: readonly Template[] = templates): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of list) {
    for (const m of t.binding.models) {
      (out[m.folder] ??= []).includes(m.file) || out[m.folder]!.push(m.file);
    }
  }
  return out;
}

const FAST = { pollMs: 200, reconnectDelaysMs: [20, 50, 100, 200, 400], cancelWaitMs: 2_000 };

interface Rig {
  fake: FakeComfyUI;
  backend: ComfyUIBackend;
  workDir: string;
  job(overrides?: Partial<BackendJob>): BackendJob;
  [Symbol.asyncDispose](): Promise<void>;
}

async function rig(version: "0.3.64" | "0.8.0" = "0.8.0", models = allModels()): Promise<Rig> {
  const fake = await startFakeComfyUI({ version, models });
  const backend = new ComfyUIBackend({
    url: fake.url,
    templates,
    timing: FAST,
    clientId: "agent-test",
  });
  await backend.probe();
  const workDir = await Deno.makeTempDir({ prefix: "comfy_backend_test_" });
  let n = 0;
  return {
    fake,
    backend,
    workDir,
    job: (overrides = {}) => ({
      jobId: `job-${++n}-${crypto.randomUUID()}`,
      nodeType: "image.generate",
      tier: "standard",
      params: { prompt: "a lighthouse at dusk, 35mm film" },
      inputs: [],
      workDir,
      ...overrides,
    }),
    async [Symbol.asyncDispose]() {
      fake.behaviour.hold = undefined;
      await backend.close();
      await fake.stop();
      await Deno.remove(workDir, { recursive: true });
    },
  };
}

function collect(): { reports: ProgressReport[]; onProgress: (r: ProgressReport) => void } {
  const reports: ProgressReport[] = [];
  return { reports, onProgress: (r) => reports.push(r) };
}

const never = new AbortController().signal;

function posts(fake: FakeComfyUI, path: string) {
  return fake.requests.filter((r) => r.method === "POST" && r.path === path);
}

async function rejection(promise: Promise<unknown>): Promise<JobFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JobFailure, `expected a JobFailure, got ${error}`);
    return error;
  }
  assert.fail("expected the run to fail");
}

for (const version of ["0.3.64", "0.8.0"] as const) {
  Deno.test(`run() on ComfyUI ${version} downloads the saved image byte for byte and reports the seed it chose`, async () => {
    await using r = await rig(version);
    const png = crypto.getRandomValues(new Uint8Array(48 * 1024));
    png.set([0x89, 0x50, 0x4e, 0x47]);
    r.fake.behaviour.outputBytes = () => png;
    const { reports, onProgress } = collect();
    const result = await r.backend.run(r.job(), { signal: never, onProgress });
    assert.equal(result.template, "image.generate.standard");
    assert.equal(result.outputs.length, 1);
    assert.equal(result.outputs[0]!.contentType, "image/png");
    assert.deepEqual(await Deno.readFile(result.outputs[0]!.path), png);
    const sent = posts(r.fake, "/prompt")[0]!.body as {
      prompt: Record<string, { inputs: Record<string, unknown> }>;
    };
    assert.equal(typeof result.seed, "number");
    assert.equal(
      sent.prompt["3"]!.inputs.seed,
      result.seed,
      "the seed reported is the one ComfyUI got",
    );
    assert.equal(sent.prompt["6"]!.inputs.text, "a lighthouse at dusk, 35mm film");
    const percents = reports.map((p) => p.percent);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      "progress never goes backwards",
    );
    assert.equal(percents.at(-1), 100);
    assert.ok(reports.some((p) => p.message === "KSampler: step 2/4" && p.step?.total === 4));
  });
}

Deno.test("run() renders a shot as an MP4 streamed into the work folder", async () => {
  await using r = await rig();
  const result = await r.backend.run(
    r.job({
      nodeType: "shot.generate",
      tier: "low",
      params: { prompt: "a slow dolly in", seed: 42, frames: 33 },
    }),
    { signal: never, onProgress: () => {} },
  );
  assert.equal(result.template, "shot.generate.low");
  assert.equal(result.seed, 42);
  assert.equal(result.outputs[0]!.ext, "mp4");
  assert.equal(result.outputs[0]!.contentType, "video/mp4");
  assert.deepEqual(await Deno.readFile(result.outputs[0]!.path), fakeMp4(64 * 1024));
  const sent = posts(r.fake, "/prompt")[0]!.body as {
    prompt: Record<string, { inputs: Record<string, unknown> }>;
  };
  assert.equal(sent.prompt["40"]!.inputs.length, 33);
});

Deno.test("a second identical job is served from ComfyUI's cache and still gets its file", async () => {
  await using r = await rig();
  const params = { prompt: "same shot", seed: 7 };
  await r.backend.run(r.job({ params }), { signal: never, onProgress: () => {} });
  const { reports, onProgress } = collect();
  const again = await r.backend.run(r.job({ params }), { signal: never, onProgress });
  assert.ok(reports.some((p) => p.message.includes("cached")));
  assert.ok(
    !reports.some((p) => p.message.startsWith("KSampler: step")),
    "nothing was sampled again",
  );
  assert.equal((await Deno.readFile(again.outputs[0]!.path)).length > 0, true);
});

Deno.test("a workflow ComfyUI rejects fails with the node, the input and ComfyUI's message", async () => {
  await using r = await rig();
  r.fake.setModels("checkpoints", []); // the model vanished after the probe
  const failure = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  assert.equal(failure.code, "validation");
  assert.equal(failure.retriable, false);
  assert.match(
    failure.message,
    /CheckpointLoaderSimple "Load Flux schnell" \(node 4\) input ckpt_name: Value not in list/,
  );
  assert.match(failure.message, /flux1-schnell-fp8\.safetensors/);
});

Deno.test("a node that raises fails the job with the node type, exception type and message", async () => {
  await using r = await rig();
  r.fake.fail({
    classType: "VAEDecode",
    exceptionType: "RuntimeError",
    exceptionMessage: "Given groups=1, weight of size [4]",
  });
  const failure = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  assert.equal(failure.code, "runtime");
  assert.equal(failure.retriable, false);
  assert.equal(
    failure.message,
    'VAEDecode "Decode" (node 8) failed: RuntimeError: Given groups=1, weight of size [4]',
  );
});

Deno.test("running out of GPU memory mid-sampling is a retriable runtime failure", async () => {
  await using r = await rig();
  r.fake.fail({
    classType: "KSampler",
    atStep: 2,
    exceptionType: "torch.OutOfMemoryError",
    exceptionMessage: "CUDA out of memory.",
  });
  const failure = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  assert.equal(failure.code, "runtime");
  assert.equal(failure.retriable, true);
  assert.match(failure.message, /KSampler.*torch\.OutOfMemoryError: CUDA out of memory\./);
});

Deno.test("canceling mid-run interrupts that prompt in ComfyUI and fails with 'canceled'", async () => {
  await using r = await rig();
  r.fake.behaviour.stepMs = 40;
  const controller = new AbortController();
  const run = r.backend.run(r.job({ params: { prompt: "long one", steps: 50 } }), {
    signal: controller.signal,
    onProgress: (p) => p.step?.current === 3 && controller.abort(),
  });
  const failure = await rejection(run);
  assert.equal(failure.code, "canceled");
  const promptId = (posts(r.fake, "/prompt")[0]!.body as { prompt_id: string }).prompt_id;
  assert.deepEqual(posts(r.fake, "/interrupt").map((q) => q.body), [{ prompt_id: promptId }]);
  assert.equal(r.fake.history(promptId)?.status.messages.at(-1)?.[0], "execution_interrupted");
});

Deno.test("a websocket dropped mid-run is reopened and the run finishes with its file", async () => {
  await using r = await rig();
  r.fake.behaviour.hold = ({ step, classType }) => {
    if (classType === "KSampler" && step === 2) r.fake.dropSockets();
  };
  const result = await r.backend.run(r.job(), { signal: never, onProgress: () => {} });
  assert.equal(result.outputs.length, 1);
  assert.ok((await Deno.stat(result.outputs[0]!.path)).size > 0);
  assert.equal(r.fake.requests.filter((q) => q.path.startsWith("/ws?")).length, 2, "one reconnect");
  const promptId = (posts(r.fake, "/prompt")[0]!.body as { prompt_id: string }).prompt_id;
  assert.ok(
    r.fake.requests.some((q) => q.path === `/history/${promptId}`),
    "the run was checked in history",
  );
});

Deno.test("back-to-back runs share one websocket, and one that dropped between runs is reopened", async () => {
  await using r = await rig();
  const opened = () => r.fake.requests.filter((q) => q.path.startsWith("/ws?")).length;
  const run = (prompt: string) =>
    r.backend.run(r.job({ params: { prompt } }), { signal: never, onProgress: () => {} });
  await run("first");
  await run("second");
  assert.equal(opened(), 1, "the second run used the first run's socket");
  r.fake.dropSockets();
  const third = await run("third");
  assert.equal(third.outputs.length, 1);
  assert.equal(opened(), 2);
  await r.backend.close();
  for (let i = 0; i < 100 && r.fake.socketCount() > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(r.fake.socketCount(), 0, "close() let go of the socket");
});

Deno.test("ComfyUI restarting mid-run (prompt gone from queue and history) is the machine's failure, not the job's", async () => {
  await using r = await rig();
  let restarting: Promise<void> | undefined;
  r.fake.behaviour.hold = ({ step }) => {
    if (step === 2 && !restarting) restarting = r.fake.restart({ downMs: 50 });
  };
  const failure = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  await restarting;
  assert.equal(failure.code, "backend_restarted");
  assert.equal(failure.infrastructure, true);
  assert.match(failure.message, /lost prompt/);
});

Deno.test("ComfyUI stopping mid-run, and refusing the next run, both say the backend is down", async () => {
  await using r = await rig();
  let stopping: Promise<void> | undefined;
  r.fake.behaviour.hold = ({ step }) => {
    if (step === 2 && !stopping) stopping = r.fake.restart({ downMs: 2_000 });
  };
  const midRun = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  assert.equal(midRun.code, "backend_down", midRun.message);
  assert.equal(midRun.infrastructure, true);
  const next = await rejection(r.backend.run(r.job(), { signal: never, onProgress: () => {} }));
  assert.equal(next.code, "backend_down", next.message);
  await stopping;
});

Deno.test("resubmitting a finished job reuses its prompt instead of queueing the work again", async () => {
  await using r = await rig();
  const job = r.job({ params: { prompt: "once only", seed: 3 } });
  const first = await r.backend.run(job, { signal: never, onProgress: () => {} });
  // A new agent process (after a crash) gets the same job again.
  const restarted = new ComfyUIBackend({ url: r.fake.url, templates, timing: FAST });
  await restarted.probe();
  const second = await restarted.run(job, { signal: never, onProgress: () => {} });
  await restarted.close();
  assert.equal(posts(r.fake, "/prompt").length, 1);
  assert.deepEqual(
    await Deno.readFile(second.outputs[0]!.path),
    await Deno.readFile(first.outputs[0]!.path),
  );
});

Deno.test("resubmitting a job whose prompt failed queues a fresh prompt under a new id", async () => {
  await using r = await rig();
  const job = r.job();
  r.fake.fail({
    classType: "KSampler",
    exceptionType: "RuntimeError",
    exceptionMessage: "boom",
    times: 1,
  });
  await rejection(r.backend.run(job, { signal: never, onProgress: () => {} }));
  const result = await r.backend.run(job, { signal: never, onProgress: () => {} });
  const ids = posts(r.fake, "/prompt").map((q) => (q.body as { prompt_id: string }).prompt_id);
  assert.equal(ids.length, 2);
  assert.notEqual(ids[0], ids[1]);
  assert.equal(result.outputs.length, 1);
});

Deno.test("a reference image is uploaded and the image-to-video template is chosen", async () => {
  await using r = await rig();
  const png = r.fake.file({ filename: "x", subfolder: "", type: "output" }) ??
    await Deno.readFile(
      new URL("../../../test/fakes/comfyui/recordings/0.3.64/probe_view.png", import.meta.url),
    );
  const url = `data:image/png;base64,${btoa(String.fromCharCode(...png))}`;
  const result = await r.backend.run(
    r.job({
      nodeType: "shot.generate",
      tier: "standard",
      inputs: [{ socket: "reference", url, contentType: "image/png" }],
    }),
    { signal: never, onProgress: () => {} },
  );
  assert.equal(result.template, "shot.generate.standard.i2v");
  const upload = posts(r.fake, "/upload/image")[0]!.body as { image: string; bytes: number };
  assert.equal(upload.bytes, png.length);
  const sent = posts(r.fake, "/prompt")[0]!.body as {
    prompt: Record<string, { inputs: Record<string, unknown> }>;
  };
  assert.equal(sent.prompt["56"]!.inputs.image, upload.image);
});

Deno.test("probe() advertises only templates whose node classes and models this ComfyUI has", async () => {
  const sdxlOnly = allModels(templates.filter((t) => t.name === "image.generate.low"));
  await using r = await rig("0.8.0", sdxlOnly);
  let status = await r.backend.probe();
  assert.equal(status.healthy, true);
  assert.equal(status.version, "0.8.0");
  assert.deepEqual(status.templates, ["image.generate.low"]);
  assert.ok(status.models.includes("sd_xl_base_1.0.safetensors"));
  assert.equal(r.backend.canRun("image.generate", "low"), true);
  assert.equal(r.backend.canRun("image.generate", "standard"), false);

  for (const [folder, files] of Object.entries(allModels())) r.fake.setModels(folder, files);
  const classes = Object.keys(await (await fetch(`${r.fake.url}/object_info`)).json());
  r.fake.setNodeClasses(classes.filter((c) => c !== "CreateVideo"));
  status = await r.backend.probe();
  assert.ok(status.templates.includes("image.generate.high"));
  assert.ok(!status.templates.some((t) => t.startsWith("shot.generate")));
  const low = r.backend.templateChecks().find((c) => c.template.name === "shot.generate.low")!;
  assert.deepEqual(low.missing, ["node class CreateVideo"]);
});

Deno.test("probe() advertises the model files of every folder ComfyUI lists, a custom node's too", async () => {
  await using r = await rig();
  let status = await r.backend.probe();
  assert.ok(!status.models.includes("ip-adapter_sdxl_vit-h.safetensors"));
  // The user installs ComfyUI_IPAdapter_plus (its own models/ipadapter folder) and its model.
  r.fake.setModels("ipadapter", ["ip-adapter_sdxl_vit-h.safetensors"]);
  status = await r.backend.probe();
  assert.ok(status.models.includes("ip-adapter_sdxl_vit-h.safetensors"));
  assert.ok(status.models.includes("sd_xl_base_1.0.safetensors"), "the stock folders still");

  // A LoRA hoard larger than a heartbeat carries: the list is cut, the templates' files kept.
  r.fake.setModels("loras", Array.from({ length: 6000 }, (_, i) => `lora_${i}.safetensors`));
  status = await r.backend.probe();
  assert.equal(status.models.length, MAX_MODEL_FILES);
  assert.ok(status.models.includes("sd_xl_base_1.0.safetensors"));
  assert.equal(r.backend.canRun("image.generate", "low"), true);
});

Deno.test("probe() of an unreachable ComfyUI is unhealthy and says how to fix it", async () => {
  const fake = await startFakeComfyUI();
  await fake.stop();
  const backend = new ComfyUIBackend({ url: fake.url, templates });
  const status = await backend.probe();
  assert.equal(status.healthy, false);
  assert.deepEqual(status.templates, []);
  assert.match(status.problem ?? "", new RegExp(`${fake.url}.*start it`));
  assert.equal(backend.canRun("image.generate", "low"), false);
});

Deno.test("bad job parameters fail before anything reaches ComfyUI, naming the field", async () => {
  await using r = await rig();
  const failure = await rejection(
    r.backend.run(r.job({ params: { prompt: "x", steps: 0 } }), {
      signal: never,
      onProgress: () => {},
    }),
  );
  assert.equal(failure.code, "validation");
  assert.match(failure.message, /params\.steps/);
  assert.equal(posts(r.fake, "/prompt").length, 0);
});

Deno.test("free() asks ComfyUI to unload models and free memory", async () => {
  await using r = await rig();
  await r.backend.free();
  assert.deepEqual(posts(r.fake, "/free").map((q) => q.body), [{
    unload_models: true,
    free_memory: true,
  }]);
});
