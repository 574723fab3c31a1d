/**
 * `doctor` finding Wan2GP (`--wan2gp PATH` / `MD_WAN2GP_DIR`), as a user runs it: the mode it
 * will use and why, the memory profile for this machine, the model types with weights, and the
 * fix for each problem; the Gradio apps of the user's `*.gradio.json` templates; and the Docker
 * Engine with the user's model configs.
 */
import assert from "node:assert/strict";
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { MemoryLogger } from "../../gpu-agent/log/memory_logger.ts";
import { ttsApp, wan2gpBridgeApp } from "../fakes/gradio/apps.ts";
import { startFakeGradio } from "../fakes/gradio/mod.ts";
import { installFakeWan2gp } from "../fakes/wan2gp/install.ts";
import { agentIo, DETECTION } from "./agent_io.ts";
import { rig } from "./rig.ts";
import { engine, needsEngine, testImage } from "../docker/engine.ts";

/** A 12 GB card in a 32 GB machine: Wan2GP's profile 4. */
const RTX_4070 = {
  profile: {
    ...DETECTION.profile,
    gpus: [{ ...DETECTION.profile.gpus[0]!, name: "NVIDIA GeForce RTX 4070", vramTotalMiB: 12282 }],
    memoryMiB: 32 * 1024 - 600,
  },
  problems: [],
};

async function doctor(
  r: Awaited<ReturnType<typeof rig>>,
  env: Record<string, string>,
  argv: string[] = [],
) {
  const out: string[] = [];
  const io = agentIo(
    { configDir: r.configDir, workDir: r.workDir, comfyuiUrl: r.fake.url, ownBackends: true },
    {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      logger: new MemoryLogger(),
      renderer: null,
      onSignal: () => () => {},
      exitNow: () => {},
    },
  );
  io.env = { ...io.env, ...env };
  io.detect = () => Promise.resolve(RTX_4070);
  const code = await runCli(["doctor", ...argv], io);
  return { code, out: out.join("\n") };
}

Deno.test("doctor finds Wan2GP: process mode and why, profile 4, the model types it has weights for", async () => {
  await using r = await rig();
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const { code, out } = await doctor(r, {
    MD_WAN2GP_DIR: wan2gp.dir,
    MD_WAN2GP_BRIDGE: "http://127.0.0.1:9",
  });
  assert.equal(code, 0, out);
  assert.match(out, /\n {2}wan2gp 12\.60: ok \(t2v_1\.3B\)\n/);
  assert.match(
    out,
    /\n {4}mode: process: no bridge answered at http:\/\/127\.0\.0\.1:9; each job runs `\S*python\S* wgp\.py --process` and loads its model\n/,
  );
  assert.match(
    out,
    /for back-to-back jobs start the bridge in Wan2GP's python: \S+ \S+wan2gp_bridge\.py --wan2gp \S+ --profile 4 --port 9/,
  );
  assert.match(out, /\n {4}memory profile 4: 12 GB VRAM, 32 GB RAM\n/);
  assert.match(out, /\n {4}model types with weights: t2v_1\.3B \(Wan2\.1 Text2video 1\.3B\)\n/);
  assert.match(
    out,
    /without weights: .*ti2v_2_2 \(needs wan2\.2_text2video_5B_quanto_mbf16_int8\.safetensors\).*: put them in \S+\/ckpts, or pick the model once in Wan2GP to download it/,
  );
  assert.match(out, /Can run .*\n(.*\n)* {2}shot\.generate: low\n/);
  assert.doesNotMatch(out, /wan2gp: not set up/);
});

Deno.test("doctor says when the bridge answers: gradio mode, with the bridge's own profile", async () => {
  await using r = await rig();
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  await using bridge = await startFakeGradio(wan2gpBridgeApp({ profile: 4.5 }));
  const { code, out } = await doctor(r, {}, [
    "--wan2gp",
    wan2gp.dir,
    "--wan2gp-bridge",
    bridge.url,
  ]);
  assert.equal(code, 0, out);
  assert.match(
    out,
    new RegExp(
      `mode: gradio: the bridge at ${bridge.url} answers \\(profile 4\\.5\\); the model stays loaded between jobs`,
    ),
  );
});

Deno.test("doctor names the fix when --wan2gp points at the wrong folder, and exits 1", async () => {
  await using r = await rig();
  const wrong = await Deno.makeTempDir();
  const { code, out } = await doctor(r, {}, ["--wan2gp", wrong]);
  assert.equal(code, 1, out);
  assert.match(out, /\n {2}wan2gp: not available\n/);
  assert.match(
    out,
    new RegExp(
      `- wan2gp: no wgp\\.py in ${wrong}: give the folder you cloned Wan2GP into \\(--wan2gp PATH or MD_WAN2GP_DIR\\)`,
    ),
  );
  await Deno.remove(wrong);
});

Deno.test("without --wan2gp, doctor says how to set Wan2GP up, and that is not a problem", async () => {
  await using r = await rig();
  const { code, out } = await doctor(r, {});
  assert.equal(code, 0, out);
  assert.match(
    out,
    /\n {2}wan2gp: not set up \(to run shots on it: --wan2gp PATH or MD_WAN2GP_DIR\)\n/,
  );
});

Deno.test("doctor lists each Gradio template with its app, and what is wrong with the bad ones", async () => {
  await using r = await rig();
  await using tts = await startFakeGradio(ttsApp());
  const templates = await Deno.makeTempDir();
  const template = {
    nodeType: "voice.synthesize",
    tier: "low",
    app: tts.url,
    endpoint: "/predict",
    vramMiB: 2048,
    inputs: [{ param: "text" }, { value: "en" }, { param: "seed" }],
  };
  await Deno.writeTextFile(`${templates}/voice.gradio.json`, JSON.stringify(template));
  await Deno.writeTextFile(
    `${templates}/broken.gradio.json`,
    JSON.stringify({ ...template, inputs: [{ param: "prompt" }] }),
  );
  const { code, out } = await doctor(r, { MD_TEMPLATES_DIR: templates });
  assert.equal(code, 1, out);
  assert.match(out, /\n {2}gradio: ok \(voice\)\n/);
  assert.match(
    out,
    new RegExp(`\\n {4}voice \\(voice\\.synthesize at low\\): ${tts.url} /predict: ok\\n`),
  );
  assert.match(out, /Can run .*\n(.*\n)* {2}voice\.synthesize: low\n/);
  assert.match(
    out,
    /- Gradio template broken skipped: .*broken\.gradio\.json: inputs\.0\.param "prompt" is not a voice\.synthesize parameter/,
  );
  await Deno.remove(templates, { recursive: true });
});

Deno.test({
  name:
    "doctor reports the Docker Engine, rootless or not, the NVIDIA runtime and each model's image",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    const models = await Deno.makeTempDir({ prefix: "md-models-" });
    const config = (id: string, image: string, extra: Record<string, unknown> = {}) =>
      Deno.writeTextFile(
        `${models}/${id}.json`,
        JSON.stringify({
          id,
          title: id,
          implements: [{ nodeType: "image.generate", tiers: ["low"] }],
          image,
          command: ["model", "argv", "{prompt}"],
          outputs: [{ glob: "*.png", kind: "image" }],
          gpu: false,
          vramMiB: 0,
          ...extra,
        }),
      );
    await config("sketch", await testImage(), { network: true });
    await config("absent", "md-test-model:absent");
    const { code, out } = await doctor(r, {
      MD_MODELS_DIR: models,
      DOCKER_HOST: `unix://${engine.socket}`,
    });
    const { Version } = await engine.version();
    assert.equal(code, 0, out);
    assert.match(
      out,
      new RegExp(`\\n {2}docker ${Version.replace(/[.+]/g, "\\$&")}: ok \\(sketch\\)\\n`),
    );
    assert.match(
      out,
      new RegExp(`\\n {4}engine: Docker .* at ${engine.socket}, (rootful|rootless) \\(.*\\)\\n`),
    );
    assert.match(out, /\n {4}NVIDIA container runtime: (present|not found) \(.*\)\n/);
    assert.match(
      out,
      /\n {4}sketch \(image\.generate at low\): md-test-model:\w+: ok; asks for network access\n/,
    );
    assert.match(
      out,
      /\n {4}absent \(image\.generate at low\): md-test-model:absent: image md-test-model:absent is not present: `docker pull md-test-model:absent` or build it/,
    );
    assert.match(out, /Can run .*\n(.*\n)* {2}image\.generate: low\n/);
    assert.doesNotMatch(out, /docker: not set up/);
    await Deno.remove(models, { recursive: true });
  },
});

Deno.test("doctor says how to set Docker models up when there are none, and names a bad config", async () => {
  await using r = await rig();
  const none = await doctor(r, {});
  assert.match(
    none.out,
    new RegExp(
      `\\n {2}docker: not set up \\(to run models in Docker: put a model config in ${r.configDir}/models; examples in gpu-agent/models/, \`models\` lists them\\)\\n`,
    ),
  );
  const models = await Deno.makeTempDir({ prefix: "md-models-" });
  await Deno.writeTextFile(`${models}/root.json`, JSON.stringify({ id: "root", user: "0" }));
  const bad = await doctor(r, { MD_MODELS_DIR: models, DOCKER_HOST: "unix:///nonexistent.sock" });
  assert.equal(bad.code, 1, bad.out);
  assert.match(bad.out, /- Docker model config skipped: .*root\.json: .*; fix the file/);
  assert.match(bad.out, /- docker: the Docker Engine at \/nonexistent\.sock is not answering/);
  await Deno.remove(models, { recursive: true });
});
