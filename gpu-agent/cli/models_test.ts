/**
 * `models`: the shipped examples (FlexiAct, LoRA-Edit, InfiniteYou, RVC, Real-ESRGAN) all pass
 * validation, each cites its repository, and a dry run prints the exact container a job would
 * create: the config's command with the job's values, hardened, on GPU 0.
 */
import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";

async function cli(argv: string[], env: Record<string, string> = {}) {
  const configDir = await Deno.makeTempDir();
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runCli(argv, {
      env: { HOME: "/home/test", MD_CONFIG_DIR: configDir, ...env },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
}

const SHIPPED = {
  "flexiact-rotate": "https://github.com/shiyi-zh0408/FlexiAct",
  "infiniteyou": "https://github.com/bytedance/InfiniteYou",
  "loraedit": "https://github.com/cjeen/LoRAEdit",
  "realesrgan-video": "https://github.com/xinntao/Real-ESRGAN",
  "rvc-voice": "https://github.com/RVC-Project/Retrieval-based-Voice-Conversion-WebUI",
};

Deno.test("every shipped model config passes validation and names its repository", async () => {
  const { code, out } = await cli(["models"]);
  assert.equal(code, 0, out);
  const listed = [...out.matchAll(/^ {2}([\w.-]+): /gm)].map((m) => m[1]);
  assert.deepEqual(listed, Object.keys(SHIPPED));
  for (const [id, repository] of Object.entries(SHIPPED)) {
    const config = JSON.parse(
      await Deno.readTextFile(new URL(`../models/${id}.json`, import.meta.url)),
    );
    assert.ok(config.description.includes(repository), `${id} cites ${repository}`);
  }
});

Deno.test("a dry run of each shipped model prints the exact, hardened container spec", async () => {
  for (const id of Object.keys(SHIPPED)) {
    const { code, out } = await cli(["models", "--dry-run", id]);
    assert.equal(code, 0, out);
    const [comment, argvLine, post, ...json] = out.split("\n");
    assert.match(comment!, new RegExp(`^# ${id}: `));
    assert.equal(post, "POST /v1.41/containers/create?name=md-<job id>-<random>");
    const spec = JSON.parse(json.join("\n"));
    const argv = JSON.parse(argvLine!.replace(/^# argv: /, ""));
    assert.deepEqual([...spec.Entrypoint, ...spec.Cmd], argv);
    const config = JSON.parse(
      await Deno.readTextFile(new URL(`../models/${id}.json`, import.meta.url)),
    );
    assert.equal(spec.Image, config.image);
    assert.equal(argv.length, config.command.length, "one element per template element");
    assert.equal(spec.HostConfig.NetworkMode, "none");
    assert.equal(spec.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(spec.HostConfig.CapDrop, ["ALL"]);
    assert.deepEqual(spec.HostConfig.DeviceRequests, [
      { Driver: "nvidia", DeviceIDs: ["0"], Capabilities: [["gpu"]] },
    ]);
    assert.notEqual(spec.User.split(":")[0], "0");
    const writable = spec.HostConfig.Mounts.filter((m: { ReadOnly?: boolean; Type: string }) =>
      m.Type !== "tmpfs" && !m.ReadOnly
    );
    assert.deepEqual(writable.map((m: { Target: string }) => m.Target), ["/outputs"]);
  }
});

Deno.test("a dry run puts the job's values in, each in its own element", async () => {
  const { code, out } = await cli([
    "models",
    "--dry-run",
    "infiniteyou",
    "--params",
    JSON.stringify({ prompt: "--help; $(id)", steps: 8, seed: 7 }),
  ]);
  assert.equal(code, 0, out);
  const argv = JSON.parse(out.split("\n")[1]!.replace(/^# argv: /, ""));
  assert.deepEqual(argv.slice(0, 8), [
    "python",
    "test.py",
    "--id_image",
    "/inputs/identity.png",
    "--prompt=--help; $(id)",
    "--out_results_dir",
    "/outputs",
    "--base_model_path",
  ]);
  assert.deepEqual(argv.slice(11, 15), ["--seed", "7", "--num_steps", "8"]);
});

Deno.test("models: an unknown id, bad --params and bad values are usage errors with the fix", async () => {
  const unknown = await cli(["models", "--dry-run", "nope"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /error: no model config "nope"\nfix: one of: flexiact-rotate, /);
  const json = await cli(["models", "--dry-run", "rvc-voice", "--params", "{text"]);
  assert.equal(json.code, 2);
  assert.match(json.err, /--params is not JSON/);
  const bad = await cli(["models", "--dry-run", "infiniteyou", "--params", '{"steps": 0}']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /invalid parameters for image\.generate: params\.steps: /);
  const flag = await cli(["doctor", "--dry-run", "x"]);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /--dry-run only applies to models/);
});

Deno.test("models lists the user's configs too, and exits 1 naming a bad one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const mine = JSON.parse(
      await Deno.readTextFile(new URL("../models/realesrgan-video.json", import.meta.url)),
    );
    await Deno.writeTextFile(`${dir}/mine.json`, JSON.stringify({ ...mine, id: "mine" }));
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ ...mine, id: "bad", volumes: [{ volume: "/srv/weights", target: "/w" }] }),
    );
    const { code, out } = await cli(["models"], { MD_MODELS_DIR: dir });
    assert.equal(code, 1, out);
    assert.match(out, /\n {2}mine: Real-ESRGAN/);
    assert.match(out, /bad\.json: volumes\.0\.volume: "\/srv\/weights" is a host path/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
