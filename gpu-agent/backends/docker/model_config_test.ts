/**
 * Bad model configs are refused when loaded, before any container exists, with the file, the
 * field and the fix: unknown placeholders, placeholders glued into larger arguments, host paths,
 * privileged flags, root users, a missing image, and the like.
 */
import assert from "node:assert/strict";
import { loadModels } from "./load_models.ts";
import {
  ModelConfigError,
  parseModelConfig,
} from "../../../protocol/docker_models/model_config.ts";

const GOOD = {
  id: "sketch",
  title: "Sketch model",
  implements: [{ nodeType: "image.generate", tiers: ["low"] }],
  image: "example/sketch:1.0",
  command: [
    "python",
    "run.py",
    "--prompt={prompt}",
    "--steps",
    "{steps}",
    "--ref",
    "{inputs.reference}",
    "--out",
    "{outputs}",
  ],
  inputs: [{ socket: "reference", path: "/inputs/ref.png" }],
  volumes: [{ volume: "sketch-weights", target: "/weights" }],
  outputs: [{ glob: "*.png", kind: "image" }],
  gpu: true,
  vramMiB: 8192,
};

function refusal(change: Record<string, unknown>): string {
  try {
    parseModelConfig("sketch.json", { ...GOOD, ...change });
  } catch (error) {
    assert.ok(error instanceof ModelConfigError, String(error));
    return error.message;
  }
  throw new Error(`accepted: ${JSON.stringify(change)}`);
}

Deno.test("a good config loads with its pairs, defaults and the parameters its command reads", () => {
  const model = parseModelConfig("sketch.json", GOOD);
  assert.deepEqual(model.pairs, [{ nodeType: "image.generate", tier: "low" }]);
  assert.deepEqual(model.params, ["prompt", "steps"]);
  assert.equal(model.network, false);
  assert.equal(model.timeoutSeconds, 3600);
  assert.equal(model.memoryMiB, 16384);
});

Deno.test("an unknown placeholder is refused naming the element and the parameters there are", () => {
  assert.match(
    refusal({ command: ["run", "--prompt", "{promt}"] }),
    /^sketch\.json: command\.2: unknown placeholder \{promt\}: image\.generate parameters are scene, shot, version, prompt, negativePrompt, seed, steps, cfg, width, height; or \{inputs\.<socket>\}, \{outputs\}$/,
  );
  assert.match(
    refusal({ command: ["run", "{inputs.mask}"] }),
    /command\.1: \{inputs\.mask\} names no entry of inputs \(add one for "mask"\)/,
  );
});

Deno.test("a placeholder inside a larger argument is refused before anything runs", () => {
  assert.match(
    refusal({ command: ["sh", "-c", "python run.py {prompt}"] }),
    /^sketch\.json: command\.2: "python run\.py \{prompt\}" puts \{prompt\} inside a larger argument/,
  );
  assert.match(
    refusal({ command: ["run", "--out=/outputs/{shot}.png"] }),
    /command\.1: .*inside a larger argument/,
  );
});

Deno.test("host paths, privileges and root are refused by name", () => {
  assert.match(
    refusal({ volumes: [{ volume: "/home/ada/models", target: "/weights" }] }),
    /volumes\.0\.volume: "\/home\/ada\/models" is a host path; Docker models mount named volumes only/,
  );
  assert.match(
    refusal({ privileged: true }),
    /^sketch\.json: privileged: Docker models never run privileged$/,
  );
  assert.match(refusal({ capAdd: ["SYS_ADMIN"] }), /capAdd: capabilities are all dropped/);
  assert.match(refusal({ binds: ["/:/host"] }), /binds: host folders are never mounted/);
  assert.match(refusal({ devices: ["/dev/nvidia0"] }), /devices: devices are not passed through/);
  assert.match(refusal({ networkMode: "host" }), /networkMode: say network: true/);
  assert.match(refusal({ user: "0:0" }), /user: "0:0" is root; give a non-root uid:gid/);
  assert.match(refusal({ user: "root" }), /user: a numeric uid or uid:gid/);
  assert.match(
    refusal({ env: { CUDA_VISIBLE_DEVICES: "1" } }),
    /env\.CUDA_VISIBLE_DEVICES: the agent sets it/,
  );
  assert.match(
    refusal({ inputs: [{ socket: "reference", path: "/proc/self/ref.png" }] }),
    /inputs\.0\.path: \/proc\/self\/ref\.png is the kernel's/,
  );
  assert.match(
    refusal({ outputs: [{ glob: "../*.png", kind: "image" }] }),
    /outputs\.0\.glob: "\.\.\/\*\.png" must stay inside \/outputs/,
  );
  assert.match(
    refusal({ inputs: [{ socket: "reference", path: "/outputs" }] }),
    /inputs\.0\.path: \/outputs is already mounted/,
  );
});

Deno.test("a missing or untagged image, and other wrong fields, name the field", () => {
  const { image: _, ...noImage } = GOOD;
  assert.throws(
    () => parseModelConfig("sketch.json", noImage),
    /^ModelConfigError: sketch\.json: image: required: the image to run, with a tag or digest$/,
  );
  assert.match(refusal({ image: "example/sketch" }), /image: an image with a tag or digest/);
  assert.match(
    refusal({ implements: [{ nodeType: "control.pipeline", tiers: ["standard"] }] }),
    /implements\.0\.nodeType: control\.pipeline nodes do not run on Docker models/,
  );
  assert.match(
    refusal({ implements: [{ nodeType: "upscale", tiers: ["low"] }] }),
    /implements\.0\.tiers: upscale runs at standard, not low/,
  );
  assert.match(
    refusal({ outputs: [{ glob: "*.mp4", kind: "video" }] }),
    /outputs\.0\.kind: image\.generate makes image, not video/,
  );
  assert.match(refusal({ gpu: false }), /vramMiB: must be 0 without gpu/);
  assert.match(
    refusal({ inputs: [{ socket: "speech", path: "/inputs/a.wav" }], command: ["run"] }),
    /inputs\.0\.socket: "speech" is not an input of image\.generate/,
  );
  assert.match(
    refusal({ inputs: [{ socket: "reference", path: "/inputs/ref.png", required: false }] }),
    /command\.6: \{inputs\.reference\} is optional/,
  );
  assert.match(
    refusal({ progress: { pattern: "(\\d+)/(\\d+)" } }),
    /progress\.pattern: needs a named group/,
  );
  assert.match(
    refusal({ progress: { pattern: "(?<percent>" } }),
    /progress\.pattern: not a regular expression/,
  );
});

Deno.test("loading skips a bad file with one line naming it, and keeps the good ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/good.json`, JSON.stringify(GOOD));
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ ...GOOD, id: "bad", privileged: true }),
    );
    await Deno.writeTextFile(`${dir}/broken.json`, "{ not json");
    const { models, problems } = await loadModels([dir, `${dir}/absent`]);
    assert.deepEqual(models.map((m) => m.id), ["sketch"]);
    assert.equal(problems.length, 2);
    assert.match(
      problems[0]!,
      new RegExp(
        `^Docker model config skipped: ${dir}/bad\\.json: privileged: Docker models never run privileged; fix the file`,
      ),
    );
    assert.match(problems[1]!, /broken\.json: not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transitions and composites may run on Docker models, with their own sockets and parameters", () => {
  const video = { outputs: [{ glob: "*.mp4", kind: "video" }], gpu: false, vramMiB: 0 };
  const transition = parseModelConfig("fade.json", {
    ...GOOD,
    ...video,
    implements: [{ nodeType: "transition", tiers: ["standard"] }],
    command: ["fade", "--kind={kind}", "--seconds", "{seconds}", "{inputs.from}", "{inputs.to}"],
    inputs: [{ socket: "from", path: "/inputs/a.mp4" }, { socket: "to", path: "/inputs/b.mp4" }],
  });
  assert.deepEqual(transition.pairs, [{ nodeType: "transition", tier: "standard" }]);
  assert.deepEqual(transition.params, ["kind", "seconds"]);
  const composite = parseModelConfig("matte.json", {
    ...GOOD,
    ...video,
    implements: [{ nodeType: "composite", tiers: ["standard"] }],
    command: ["matte", "--blend", "{blend}", "--opacity", "{opacity}", "{inputs.base}"],
    inputs: [
      { socket: "base", path: "/inputs/base.mp4" },
      { socket: "overlay", path: "/inputs/overlay.mp4" },
      { socket: "mask", path: "/inputs/mask.mp4", required: false },
    ],
  });
  assert.deepEqual(composite.params, ["blend", "opacity"]);
  assert.match(
    refusal({
      ...video,
      implements: [{ nodeType: "transition", tiers: ["standard"] }],
      command: ["fade", "{outputs}"],
      inputs: [{ socket: "video", path: "/inputs/a.mp4" }],
    }),
    /inputs\.0\.socket: "video" is not an input of transition \(from, to\)/,
  );
});

Deno.test("which asset runs a node is no placeholder a command can read", () => {
  for (const name of ["modelConfigAssetId", "workflowAssetId"]) {
    assert.match(refusal({ command: ["run", `{${name}}`] }), /command\.1: unknown placeholder/);
  }
});
