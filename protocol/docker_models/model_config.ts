/**
 * Model configs: what a research model packaged as a Docker image needs to run as a job. One JSON
 * file per model (`<id>.json`), checked here once when loaded, before any container exists: a bad
 * config is refused with the field and the fix, and the others still run.
 *
 * ```json
 * { "id": "realesrgan-video", "title": "Real-ESRGAN video x2",
 *   "implements": [{ "nodeType": "upscale", "tiers": ["standard"] }],
 *   "image": "movie-director/realesrgan:0.3.0",
 *   "command": ["python", "inference_realesrgan_video.py", "-i", "{inputs.video}",
 *               "-n", "realesr-animevideov3", "-s", "{factor}", "-o", "{outputs}"],
 *   "inputs": [{ "socket": "video", "path": "/inputs/video.mp4" }],
 *   "outputs": [{ "glob": "*.mp4", "kind": "video" }],
 *   "gpu": true, "vramMiB": 4096 }
 * ```
 *
 * What a config may never do, whatever it says: run privileged, add capabilities or devices,
 * bind a host path, run as root, pick its own GPU, or write anywhere but /outputs and scratch
 * tmpfs. Those fields are refused by name (container_spec.ts applies the hardening).
 */
import { posix } from "node:path";
import { z } from "zod";
import { NODE_TYPES, type NodeTypeDef, RUNNER_PARAMS } from "../nodes.ts";
import { type Tier, tierSchema } from "../tiers.ts";
import { CommandError, OUTPUTS_DIR, placeholders } from "./command.ts";

/** `name:tag` or `name@sha256:…`, as Docker writes references; a tag or digest is required. */
const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
/** Docker's own rule for volume names. */
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const containerPath = z.string().max(255).refine(
  (p) => p.startsWith("/") && posix.normalize(p) === p && p !== "/" && !p.endsWith("/"),
  "an absolute path in the container, like /inputs/video.mp4 (no .., no trailing /)",
);

export const configSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lower-case letters, digits, . _ -"),
  title: z.string().trim().min(1).max(200),
  /** Where the model comes from and how its command line was documented (cited). */
  description: z.string().max(4000).default(""),
  implements: z.array(
    z.object({
      nodeType: z.string().min(1),
      tiers: z.array(tierSchema).min(1),
    }).strict(),
  ).min(1).max(16),
  image: z.string({ error: "required: the image to run, with a tag or digest" }).regex(
    IMAGE_REFERENCE,
    "an image with a tag or digest, like movie-director/flexiact:1.0 or name@sha256:<64 hex>",
  ),
  command: z.array(z.string().max(4096)).min(1).max(256),
  workdir: containerPath.optional(),
  inputs: z.array(
    z.object({
      socket: z.string().min(1).max(64),
      path: containerPath,
      required: z.boolean().default(true),
    }).strict(),
  ).max(16).default([]),
  /** Named Docker volumes (weights), always mounted read-only. */
  volumes: z.array(
    z.object({
      volume: z.string().max(255),
      target: containerPath,
    }).strict(),
  ).max(16).default([]),
  outputs: z.array(
    z.object({
      glob: z.string().min(1).max(200),
      kind: z.enum(["image", "video", "audio"]),
    }).strict(),
  ).min(1).max(8),
  gpu: z.boolean(),
  /** Peak VRAM in MiB (0 for CPU models); the agent runs it only on a GPU with that much. */
  vramMiB: z.number().int().min(0).max(1024 * 1024),
  memoryMiB: z.number().int().min(64).max(1024 * 1024).default(16384),
  /** /dev/shm (PyTorch data loaders use it); counts in the memory limit. */
  shmMiB: z.number().int().min(1).max(65536).default(512),
  pidsLimit: z.number().int().min(16).max(65536).default(1024),
  env: z.record(z.string(), z.string().max(4096)).default({}),
  /** More scratch folders in memory (the root file system is read-only), besides /tmp. */
  tmpfs: z.array(containerPath).max(8).default([]),
  /** Network access; off unless the model truly needs it (shown to the user). */
  network: z.boolean().default(false),
  /** `uid:gid` to run as, never 0; default the agent's own (or 65534 when it is root). */
  user: z.string().regex(/^\d+(:\d+)?$/, "a numeric uid or uid:gid").optional(),
  timeoutSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(3600),
  /** A regex over log lines with named groups `percent`, or `step` and `total`. */
  progress: z.object({ pattern: z.string().min(1).max(500) }).strict().optional(),
}).strict();

export type ModelConfig = z.infer<typeof configSchema>;

/** Fields that would loosen the container's hardening, refused with why. */
const FORBIDDEN: Record<string, string> = {
  privileged: "Docker models never run privileged",
  capAdd: "capabilities are all dropped; a model may not add any",
  cap_add: "capabilities are all dropped; a model may not add any",
  devices: "devices are not passed through; GPUs come from the agent's VRAM budget (gpu: true)",
  binds: "host folders are never mounted; put weights in a named volume (volumes)",
  mounts: "host folders are never mounted; put weights in a named volume (volumes)",
  securityOpt: "the security options are the agent's (no-new-privileges)",
  pid: "the host's process namespace is never shared",
  ipc: "the host's IPC namespace is never shared",
  networkMode: "say network: true to ask for network access",
  readonlyRootfs: "the root file system is always read-only; add tmpfs folders for scratch",
  runtime: "the runtime is the engine's (NVIDIA's when gpu: true)",
};

/** Environment variables the agent sets itself. */
const RESERVED_ENV = [
  "NVIDIA_VISIBLE_DEVICES",
  "CUDA_VISIBLE_DEVICES",
  "NVIDIA_DRIVER_CAPABILITIES",
];

export class ModelConfigError extends Error {
  override name = "ModelConfigError";
  /** Where the config is (a file name, or `config` in an upload). */
  readonly file: string;
  /** The field at fault, as a dotted path (`command.3`, `volumes.0.volume`); "" for the whole. */
  readonly field: string;
  /** What is wrong and the fix, without the file and the field. */
  readonly detail: string;

  constructor(file: string, field: string, detail: string) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.file = file;
    this.field = field;
    this.detail = detail;
  }
}

/** A config checked and ready: the parsed fields plus what the checks worked out. */
export interface CheckedModel extends ModelConfig {
  /** Every (node type, tier) pair it implements. */
  pairs: { nodeType: string; tier: Tier }[];
  /** The job parameters its command reads (lineage: the others did not matter). */
  params: string[];
}

/**
 * Checks one config (the parsed JSON of `<file>`); throws ModelConfigError naming the file and
 * the field.
 */
export function parseModelConfig(file: string, value: unknown): CheckedModel {
  // Every message starts with its field: "command.3: unknown placeholder {x}: ...".
  const fail = (message: string): never => {
    const at = message.indexOf(": ");
    throw new ModelConfigError(file, message.slice(0, at), message.slice(at + 2));
  };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN[key]) fail(`${key}: ${FORBIDDEN[key]}`);
    }
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
    );
  }
  const config = parsed.data!;
  const defs = config.implements.map((entry, i) => _nodeType(entry, i, fail));
  const pairs = config.implements.flatMap((e) =>
    e.tiers.map((tier) => ({ nodeType: e.nodeType, tier }))
  );

  config.volumes.forEach((v, i) => {
    if (v.volume.startsWith("/") || v.volume.startsWith(".") || v.volume.includes("/")) {
      fail(
        `volumes.${i}.volume: "${v.volume}" is a host path; Docker models mount named volumes ` +
          `only (docker volume create NAME, then copy the weights in), never host folders`,
      );
    }
    if (!VOLUME_NAME.test(v.volume)) {
      fail(`volumes.${i}.volume: "${v.volume}" is not a volume name`);
    }
  });
  const mounts = [
    ...config.inputs.map((m, i) => ({ at: `inputs.${i}.path`, path: m.path })),
    ...config.volumes.map((m, i) => ({ at: `volumes.${i}.target`, path: m.target })),
    ...config.tmpfs.map((path, i) => ({ at: `tmpfs.${i}`, path })),
  ];
  const seen = new Set([OUTPUTS_DIR, "/tmp"]);
  for (const { at, path } of mounts) {
    if (seen.has(path)) fail(`${at}: ${path} is already mounted`);
    if (/^\/(proc|sys|dev)(\/|$)/.test(path)) fail(`${at}: ${path} is the kernel's`);
    seen.add(path);
  }
  config.outputs.forEach((o, i) => {
    if (o.glob.startsWith("/") || o.glob.split("/").includes("..")) {
      fail(`outputs.${i}.glob: "${o.glob}" must stay inside ${OUTPUTS_DIR} (a relative pattern)`);
    }
    defs.forEach((def) => {
      if (def.output !== o.kind) {
        fail(`outputs.${i}.kind: ${def.type} makes ${def.output ?? "nothing"}, not ${o.kind}`);
      }
    });
  });
  for (const key of Object.keys(config.env)) {
    if (!ENV_NAME.test(key)) fail(`env.${key}: not a variable name`);
    if (RESERVED_ENV.includes(key)) {
      fail(`env.${key}: the agent sets it to the GPU it gives the job`);
    }
  }
  if (config.user && Number(config.user.split(":")[0]) === 0) {
    fail(`user: "${config.user}" is root; give a non-root uid:gid`);
  }
  if (config.gpu !== config.vramMiB > 0) {
    fail(
      config.gpu
        ? "vramMiB: a GPU model needs its peak VRAM (> 0)"
        : "vramMiB: must be 0 without gpu",
    );
  }
  if (config.progress) _checkPattern(config.progress.pattern, fail);

  const params = new Set<string>();
  let found;
  try {
    found = placeholders(config.command);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return fail(error.message);
  }
  for (const { index, name } of found) {
    if (name === "outputs") continue;
    if (name.startsWith("inputs.")) {
      const socket = name.slice("inputs.".length);
      const input = config.inputs.find((i) => i.socket === socket);
      if (!input) {
        fail(`command.${index}: {${name}} names no entry of inputs (add one for "${socket}")`);
      }
      if (!input!.required) {
        fail(`command.${index}: {${name}} is optional; a command may name required inputs only`);
      }
      continue;
    }
    for (const def of defs) {
      // Which workflow or model config runs a node is nothing a container's command could use.
      const known = Object.keys(def.params.shape).filter((key) => !RUNNER_PARAMS.includes(key));
      if (!known.includes(name)) {
        fail(
          `command.${index}: unknown placeholder {${name}}: ${def.type} parameters are ` +
            `${known.join(", ")}; or {inputs.<socket>}, {outputs}`,
        );
      }
    }
    params.add(name);
  }
  config.inputs.forEach((input, i) => {
    for (const def of defs) {
      if (!def.inputs.some((s) => s.name === input.socket)) {
        fail(
          `inputs.${i}.socket: "${input.socket}" is not an input of ${def.type} ` +
            `(${def.inputs.map((s) => s.name).join(", ")})`,
        );
      }
    }
  });
  return { ...config, pairs, params: [...params].sort() };
}

function _nodeType(
  entry: { nodeType: string; tiers: Tier[] },
  i: number,
  fail: (message: string) => never,
): NodeTypeDef {
  const def = NODE_TYPES[entry.nodeType];
  if (!def) return fail(`implements.${i}.nodeType: "${entry.nodeType}" is not a node type`);
  if (!def.backends.includes("docker")) {
    fail(`implements.${i}.nodeType: ${entry.nodeType} nodes do not run on Docker models`);
  }
  for (const tier of entry.tiers) {
    if (!def.tiers.includes(tier)) {
      fail(`implements.${i}.tiers: ${entry.nodeType} runs at ${def.tiers.join(", ")}, not ${tier}`);
    }
  }
  return def;
}

function _checkPattern(pattern: string, fail: (message: string) => never): void {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return fail(`progress.pattern: not a regular expression (${(error as Error).message})`);
  }
  const groups = new Set(
    [...regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]),
  );
  if (!groups.has("percent") && !(groups.has("step") && groups.has("total"))) {
    fail("progress.pattern: needs a named group (?<percent>…), or (?<step>…) and (?<total>…)");
  }
}
