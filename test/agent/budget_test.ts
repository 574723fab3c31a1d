/**
 * The agent's VRAM budget end to end: an ffmpeg transition (CPU) runs and completes while a GPU
 * job holds the only GPU, reading its inputs from the edge's signed URLs; and switching to a
 * job that needs other models unloads the previous ones in ComfyUI first.
 */
import assert from "node:assert/strict";
import { inspect, makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { ComfyUIBackend, parseTemplate } from "../../gpu-agent/backends/comfyui/mod.ts";
import { templates } from "./agent_io.ts";
import { rig } from "./rig.ts";

const node = (id: string, type: string) => ({ id, type, title: id, x: 0, y: 0, params: {} });

Deno.test("an ffmpeg transition of two generated shots runs beside a GPU job and becomes a take", async () => {
  await using r = await rig();
  const dir = await Deno.makeTempDir({ prefix: "md-agent-clips-" });
  try {
    const clip = await Deno.readFile(await makeClip(`${dir}/shot.mp4`, { seconds: 2 }));
    r.fake.behaviour.outputBytes = () => clip;
    await r.saveGraph({
      nodes: {
        a: node("a", "shot.generate"),
        b: node("b", "shot.generate"),
        c: node("c", "shot.generate"),
        t: node("t", "transition"),
      },
      edges: {
        e1: { id: "e1", from: { node: "a", socket: "video" }, to: { node: "t", socket: "from" } },
        e2: { id: "e2", from: { node: "b", socket: "video" }, to: { node: "t", socket: "to" } },
      },
    });
    const agent = r.startAgent({ concurrency: 2 });
    const shots = [
      await r.generate({ id: "a", type: "shot.generate", tier: "low", params: { prompt: "a" } }),
      await r.generate({ id: "b", type: "shot.generate", tier: "low", params: { prompt: "b" } }),
    ];
    for (const id of shots) {
      await r.until("the shot to render", async () => (await r.job(id)).job.state === "succeeded");
    }
    // A third shot takes the GPU and stays there until the transition is done.
    let release!: () => void;
    const released = new Promise<void>((resolve) => release = resolve);
    let held = false;
    r.fake.behaviour.hold = async ({ step }) => {
      if (step !== 2 || held) return;
      held = true;
      await released;
    };
    const gpuJob = await r.generate({
      id: "c",
      type: "shot.generate",
      tier: "low",
      params: { prompt: "c" },
    });
    await r.until("the GPU job to reach step 2", () => held);
    const transition = await r.generate({
      id: "t",
      type: "transition",
      params: { kind: "crossfade", seconds: 0.5 },
    });
    const done = await r.until("the transition to succeed", async () => {
      const { job } = await r.job(transition);
      return job.state === "succeeded" && job;
    });
    assert.equal((await r.job(gpuJob)).job.state, "running", "the GPU job was still running");
    release();
    await r.until(
      "the GPU job to succeed",
      async () => (await r.job(gpuJob)).job.state === "succeeded",
    );
    assert.equal(done.attempt, 1);
    const [take] = await r.takes("t");
    assert.equal(take?.contentType, "video/mp4");
    await Deno.writeFile(
      `${dir}/out.mp4`,
      new Uint8Array(await (await fetch(take!.url)).arrayBuffer()),
    );
    const out = await inspect(`${dir}/out.mp4`);
    // Two 2 s clips crossfaded over 0.5 s: 3.5 s.
    assert.ok(Math.abs(out.durationSeconds - 3.5) < 0.2, `duration ${out.durationSeconds}`);
    agent.signal();
    assert.equal(await agent.exit, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a job needing other models unloads the previous ones (POST /free) before it runs", async () => {
  await using r = await rig();
  r.startAgent();
  const frees = () => r.fake.requests.filter((q) => q.method === "POST" && q.path === "/free");
  const run = async (id: string, tier: "low" | "standard") => {
    const jobId = await r.generate({ id, type: "image.generate", tier, params: { prompt: id } });
    await r.until(`${id} to succeed`, async () => (await r.job(jobId)).job.state === "succeeded");
  };
  await run("flux-1", "standard");
  await run("flux-2", "standard");
  assert.equal(frees().length, 0, "same models: nothing to unload");
  await run("sdxl-1", "low");
  assert.equal(frees().length, 1, "other models: unloaded once before the run");
  const paths = r.fake.requests.map((q) => `${q.method} ${q.path}`);
  assert.ok(
    paths.indexOf("POST /free") < paths.lastIndexOf("POST /prompt"),
    "unloaded before the SDXL prompt was queued",
  );
});

Deno.test("two jobs of model-free templates run back to back without unloading anything", async () => {
  await using r = await rig();
  for (const folder of ["checkpoints", "diffusion_models", "text_encoders", "vae"]) {
    r.fake.setModels(folder, []);
  }
  // Model-free stand-ins for image.generate at low and standard, beside the bundled templates
  // (which need model files this ComfyUI lacks).
  const blank = (tier: "low" | "standard") =>
    parseTemplate(`image.generate.${tier}.blank`, {
      nodeType: "image.generate",
      tier,
      vramMiB: 1024,
      models: [],
      params: {},
      outputs: ["2"],
    }, {
      "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "blank" } },
    });
  r.startAgent({
    backends: ([, ffmpeg]) => [
      new ComfyUIBackend({
        url: r.fake.url,
        templates: [...templates, blank("low"), blank("standard")],
        clientId: "agent-e2e",
      }),
      ffmpeg!,
    ],
  });
  for (const tier of ["low", "standard"] as const) {
    const id = await r.generate({
      id: `still-${tier}`,
      type: "image.generate",
      tier,
      params: { prompt: "nothing" },
    });
    await r.until("the job to succeed", async () => (await r.job(id)).job.state === "succeeded");
    assert.equal(
      (await r.takes(`still-${tier}`))[0]?.lineage.template,
      `image.generate.${tier}.blank`,
    );
  }
  assert.deepEqual(
    r.fake.requests.filter((q) => q.method === "POST" && q.path === "/free"),
    [],
    "nothing was loaded, so nothing is unloaded",
  );
});
