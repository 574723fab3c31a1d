/**
 * `doctor` against a real edge and the fake ComfyUI: it tells which templates this machine
 * cannot run and what to put where, exits 1 when a backend it found can run nothing, and checks
 * the credentials without touching the profile of an agent running on the same machine.
 */
import assert from "node:assert/strict";
import { FfmpegBackend } from "../../gpu-agent/backends/ffmpeg/mod.ts";
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { MemoryLogger } from "../../gpu-agent/log/memory_logger.ts";
import { call } from "../../edge/testing.ts";
import { agentIo, allModels } from "./agent_io.ts";
import { rig } from "./rig.ts";

async function doctor(
  r: Awaited<ReturnType<typeof rig>>,
  change: (io: ReturnType<typeof agentIo>) => void = () => {},
) {
  const out: string[] = [];
  const io = agentIo({ configDir: r.configDir, workDir: r.workDir, comfyuiUrl: r.fake.url }, {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    logger: new MemoryLogger(),
    renderer: null,
    onSignal: () => () => {},
    exitNow: () => {},
  });
  change(io);
  const code = await runCli(["doctor"], io);
  return { code, out: out.join("\n") };
}

Deno.test("doctor with ComfyUI up but no model files names each missing file and its folder, and exits 1", async () => {
  await using r = await rig();
  for (const folder of Object.keys(allModels())) r.fake.setModels(folder, []);
  const { code, out } = await doctor(r);
  assert.equal(code, 1, out);
  assert.match(out, /comfyui 0\.8\.0: ok, 0 of 7 templates runnable here/);
  assert.match(
    out,
    /image\.generate\.low \(image\.generate at low\): cannot run: put sd_xl_base_1\.0\.safetensors in ComfyUI's models\/checkpoints/,
  );
  assert.match(out, /shot\.generate\.low .*put wan_2\.1_vae\.safetensors in ComfyUI's models\/vae/);
  assert.match(out, /comfyui 0\.8\.0 is up but this machine can run nothing with it/);
  assert.doesNotMatch(out, /No problems found/);
  assert.doesNotMatch(out, /image\.generate: /, "image generation is not listed as runnable");
  assert.match(out, /Can run .*\n(.*\n)* {2}transition: standard/, "ffmpeg's work still is");

  r.fake.setModels("checkpoints", ["sd_xl_base_1.0.safetensors"]);
  const fixed = await doctor(r);
  assert.match(fixed.out, /comfyui 0\.8\.0: ok, 1 of 7 templates runnable here/);
  assert.match(fixed.out, / {2}image\.generate: low/);
  assert.doesNotMatch(fixed.out, /can run nothing/);
});

Deno.test("doctor while run is active leaves the running agent's profile as the agent sent it", async () => {
  await using r = await rig();
  const agent = r.startAgent();
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  const listed = async () =>
    (await call(r.edge.t, "GET", "/api/agents", { token: r.user.token })).body.agents[0];
  const before = await listed();
  assert.equal(before.maxVramMiB, 24564);
  // doctor with other settings: no GPU seen, ffmpeg only.
  const { code, out } = await doctor(r, (io) => {
    io.detect = () =>
      Promise.resolve({
        profile: { hostname: "other", os: "linux", gpus: [], cpus: 2, memoryMiB: 4096 },
        problems: [],
      });
    io.backends = () => Promise.resolve([new FfmpegBackend()]);
  });
  assert.match(out, /Enrolled +as test-rig .*: accepted/);
  assert.equal(code, 0, out);
  const after = await listed();
  assert.equal(after.maxVramMiB, 24564);
  assert.deepEqual(after.backends, before.backends);
  assert.deepEqual(after.profile, before.profile);
  // The running agent still gets ComfyUI jobs.
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the job to succeed", async () => (await r.job(jobId)).job.state === "succeeded");
});
