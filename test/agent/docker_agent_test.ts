/**
 * Docker models end to end: the agent (`run`, through the real edge) claims a job a model config
 * implements, runs the test model's container on a real Docker Engine, and its files become the
 * node's takes; an upscale of a generated shot gets the shot as its input; the GPU the VRAM
 * budget picks is the one the container asks for; and a container left by an agent killed
 * mid-job is removed when the agent starts again.
 */
import assert from "node:assert/strict";
import { DockerBackend } from "../../gpu-agent/backends/docker/backend.ts";
import { DockerEngine } from "../../gpu-agent/backends/docker/engine.ts";
import { parseModelConfig } from "../../protocol/docker_models/model_config.ts";
import type { Detection } from "../../gpu-agent/detect/detect.ts";
import { containersOf, engine, needsEngine, testImage } from "../docker/engine.ts";
import { DETECTION } from "./agent_io.ts";
import { rig } from "./rig.ts";

async function modelsDir(configs: Record<string, unknown>[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "md-models-" });
  for (const config of configs) {
    await Deno.writeTextFile(`${dir}/${config.id}.json`, JSON.stringify(config));
  }
  return dir;
}

type Rig = Awaited<ReturnType<typeof rig>>;

const node = (id: string, type: string) => ({ id, type, title: id, x: 0, y: 0, params: {} });

/** Saves a graph of these nodes (id → type) with one edge, "node.socket" to "node.socket". */
async function saveLinked(r: Rig, types: Record<string, string>, from: string, to: string) {
  const end = (at: string) => {
    const [id, socket] = at.split(".") as [string, string];
    return { node: id, socket };
  };
  await r.saveGraph({
    nodes: Object.fromEntries(Object.entries(types).map(([id, type]) => [id, node(id, type)])),
    edges: { e: { id: "e", from: end(from), to: end(to) } },
  });
}

/** Generates the graph's "shot" node (on the fake ComfyUI) and waits for its take. */
async function renderShot(r: Rig) {
  const shot = await r.generate({
    id: "shot",
    type: "shot.generate",
    tier: "low",
    params: { prompt: "a" },
  });
  await r.until("the shot", async () => (await r.job(shot)).job.state === "succeeded");
}

async function stillConfig(extra: Record<string, unknown> = {}) {
  return {
    id: "still",
    title: "Test still",
    implements: [{ nodeType: "image.generate", tiers: ["low"] }],
    image: await testImage(),
    command: ["model", "steps", "{steps}", "0.02", "0", "still.png"],
    outputs: [{ glob: "*.png", kind: "image" }],
    gpu: false,
    vramMiB: 0,
    memoryMiB: 256,
    progress: { pattern: "step (?<step>\\d+)/(?<total>\\d+)" },
    ...extra,
  };
}

Deno.test({
  name: "a Docker model's job runs on the agent and its file becomes the node's take",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    const model = parseModelConfig("still.json", await stillConfig());
    const docker = new DockerBackend({ engine, models: [model], agentId: r.agentId });
    const agent = r.startAgent({ backends: ([, ffmpeg]) => [ffmpeg!, docker] });
    const jobId = await r.generate({
      id: "still",
      type: "image.generate",
      tier: "low",
      params: { prompt: "a door", steps: 3 },
    });
    const { job } = await r.until("the job to succeed", async () => {
      const detail = await r.job(jobId);
      return detail.job.state === "succeeded" && detail;
    });
    assert.equal(job.attempt, 1);
    const [take] = await r.takes("still");
    assert.equal(take?.contentType, "image/png");
    assert.equal(take?.lineage.template, "still");
    assert.equal(await (await fetch(take!.url)).text(), "data still.png\n");
    assert.ok(agent.screen.some((line) => line.includes("step 3/3")), "progress was shown");
    await docker.settled();
    assert.deepEqual(await containersOf(r.agentId), []);
    agent.signal();
    assert.equal(await agent.exit, 0);
  },
});

Deno.test({
  name: "an upscale of a generated shot runs on a Docker model, with the shot as its input",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    r.fake.behaviour.outputBytes = () => new TextEncoder().encode("the shot's frames");
    const model = parseModelConfig("upscaler.json", {
      id: "upscaler",
      title: "Test upscaler",
      implements: [{ nodeType: "upscale", tiers: ["standard"] }],
      image: await testImage(),
      command: ["model", "copy", "{inputs.video}", "upscaled.mp4"],
      inputs: [{ socket: "video", path: "/inputs/shot.mp4" }],
      outputs: [{ glob: "*.mp4", kind: "video" }],
      gpu: false,
      vramMiB: 0,
      memoryMiB: 256,
    });
    const docker = new DockerBackend({ engine, models: [model], agentId: r.agentId });
    r.startAgent({ backends: ([comfy, ffmpeg]) => [comfy!, ffmpeg!, docker] });
    await saveLinked(r, { shot: "shot.generate", up: "upscale" }, "shot.video", "up.video");
    await renderShot(r);
    const up = await r.generate({ id: "up", type: "upscale", params: { factor: 2 } });
    const job = await r.ended(up);
    assert.equal(job.state, "succeeded", job.error ?? "");
    assert.equal(
      job.rationale,
      "docker upscaler: Test upscaler; chosen over ffmpeg: first in the catalog's order",
    );
    const [take] = await r.takes("up");
    assert.equal(take?.contentType, "video/mp4");
    assert.equal(await (await fetch(take!.url)).text(), "the shot's frames");
  },
});

/** A machine with a small and a large GPU: the budget gives a 16 GB job the large one. */
const TWO_GPUS: Detection = {
  ...DETECTION,
  profile: {
    ...DETECTION.profile,
    gpus: [
      {
        ...DETECTION.profile.gpus[0]!,
        index: 0,
        name: "NVIDIA GeForce RTX 3060",
        vramTotalMiB: 12288,
      },
      { ...DETECTION.profile.gpus[0]!, index: 1 },
    ],
  },
};

/**
 * The engine as it is, but saying it has the NVIDIA runtime (this machine has none) and keeping
 * each container spec it is sent: how far a GPU job gets here, and which GPU it asked for.
 */
class GpuClaimingEngine extends DockerEngine {
  readonly specs: unknown[] = [];
  /** Called as each container is created (what else had happened by then). */
  onCreate = () => {};
  override async info(signal?: AbortSignal) {
    return { ...await super.info(signal), Runtimes: { nvidia: {}, runc: {} } };
  }
  override create(name: string, spec: unknown, signal?: AbortSignal) {
    this.specs.push(spec);
    this.onCreate();
    return super.create(name, spec, signal);
  }
}

Deno.test({
  name: "a GPU model's container asks for the GPU the agent's VRAM budget gave the job",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    const claiming = new GpuClaimingEngine(engine.socket);
    const model = parseModelConfig(
      "gpu.json",
      await stillConfig({
        id: "gpu-still",
        gpu: true,
        vramMiB: 16000,
      }),
    );
    const docker = new DockerBackend({ engine: claiming, models: [model], agentId: r.agentId });
    r.startAgent({ backends: ([, ffmpeg]) => [ffmpeg!, docker], detection: TWO_GPUS });
    const jobId = await r.generate({
      id: "still",
      type: "image.generate",
      tier: "low",
      params: { prompt: "a door" },
    });
    const job = await r.ended(jobId);
    const spec = claiming.specs[0] as { HostConfig: { DeviceRequests: unknown } };
    assert.deepEqual(spec.HostConfig.DeviceRequests, [
      { Driver: "nvidia", DeviceIDs: ["1"], Capabilities: [["gpu"]] },
    ]);
    // Without the NVIDIA runtime the engine itself refuses: the job fails saying what to install.
    const hasNvidia = Object.hasOwn((await engine.info()).Runtimes ?? {}, "nvidia");
    if (!hasNvidia) {
      assert.equal(job.state, "failed");
      assert.match(job.error ?? "", /could not give the container a GPU.*NVIDIA Container Toolkit/);
    }
    await docker.settled();
    assert.deepEqual(await containersOf(r.agentId), []);
    claiming.close();
  },
});

Deno.test({
  name: "a GPU Docker job after a ComfyUI job on the same GPU unloads ComfyUI's models first",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    const claiming = new GpuClaimingEngine(engine.socket);
    const model = parseModelConfig("voice.json", {
      id: "voice",
      title: "Test voice",
      implements: [{ nodeType: "voice.synthesize", tiers: ["low"] }],
      image: await testImage(),
      command: ["model", "argv", "{text}"],
      outputs: [{ glob: "*.wav", kind: "audio" }],
      gpu: true,
      vramMiB: 8192,
    });
    const docker = new DockerBackend({ engine: claiming, models: [model], agentId: r.agentId });
    let freesBeforeCreate = -1;
    claiming.onCreate = () => {
      freesBeforeCreate = r.fake.requests.filter((q) => q.path === "/free").length;
    };
    r.startAgent({ backends: ([comfy, ffmpeg]) => [comfy!, ffmpeg!, docker] });
    await saveLinked(
      r,
      { shot: "shot.generate", ada: "asset.character", voice: "voice.synthesize" },
      "ada.character",
      "voice.character",
    );
    await renderShot(r);
    const voice = { id: "voice", type: "voice.synthesize", tier: "low" as const };
    await r.ended(await r.generate({ ...voice, params: { text: "hello" } }));
    assert.equal(freesBeforeCreate, 1, "ComfyUI was told to unload before the container");
    claiming.close();
  },
});

Deno.test({
  name: "a container left by an agent killed mid-job is removed when the agent starts again",
  ...needsEngine,
  async fn() {
    await using r = await rig({ LEASE_MS: "60000" });
    const models = await modelsDir([
      await stillConfig({ command: ["model", "steps", "600", "0.1", "0", "late.png"] }),
    ]);
    const env = {
      MD_MODELS_DIR: models,
      DOCKER_HOST: `unix://${engine.socket}`,
      // No ComfyUI here: the shot goes to the Docker model.
      MD_COMFYUI_URL: "http://127.0.0.1:9",
    };
    const jobId = await r.generate({
      id: "still",
      type: "image.generate",
      tier: "low",
      params: { prompt: "a door" },
    });
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../docker/agent_child.ts", import.meta.url).pathname,
        JSON.stringify({
          configDir: r.configDir,
          workDir: r.workDir,
          comfyuiUrl: "http://127.0.0.1:9",
          env,
        }),
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const [left] = await r.until("the model's container", async () => {
        const found = await containersOf(r.agentId);
        return found.some((c) => c.State === "running") && found;
      });
      assert.equal(left!.Labels["io.movie-director.job"], jobId);
      child.kill("SIGKILL");
      await child.status;
      assert.equal((await engine.inspect(left!.Id))?.State.Status, "running", "left behind");

      const agent = r.startAgent({ ownBackends: true, env });
      await r.until("the leftover to go", async () => (await engine.inspect(left!.Id)) === null);
      assert.match(
        agent.logger.lines.map((l) => l.message).join("\n"),
        new RegExp(
          `docker: removed container md-${jobId.slice(0, 8)}-\\w+ \\(running\\) that an earlier ` +
            `run of this agent left for job ${jobId}`,
        ),
      );
      agent.signal();
      agent.signal();
      await agent.exit;
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      for (const c of await containersOf(r.agentId)) await engine.remove(c.Id);
      await Deno.remove(models, { recursive: true });
    }
  },
});
