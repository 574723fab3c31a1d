/**
 * The node catalog: every node type a film graph can hold, its typed sockets, the schema of its
 * parameters, and, for executable nodes, which backends can run it and at which tiers.
 * Shared by the edge (validating generate requests), the room (edge typing), the web app
 * (palette and inspector forms) and the agent (picking a backend).
 *
 * @example
 * ```ts
 * import { NODE_TYPES, canConnect } from "./nodes.ts";
 * NODE_TYPES["image.generate"].params.parse({ prompt: "a red door" });
 * canConnect("video", "video"); // true
 * ```
 */
import { z } from "zod";
import { type Tier, TIERS } from "./tiers.ts";

export const SOCKET_TYPES = [
  "image",
  "video",
  "audio",
  "text",
  "number",
  "boolean",
  "asset",
  "style",
  "camera",
  "any",
] as const;
export type SocketType = typeof SOCKET_TYPES[number];

/**
 * Kinds of local backend an agent may run. `gradio`: any local Gradio app with a named endpoint,
 * driven through a declarative template (gpu-agent/backends/gradio/).
 */
export const BACKENDS = ["comfyui", "wan2gp", "docker", "ffmpeg", "gradio"] as const;
export const backendSchema = z.enum(BACKENDS);
export type Backend = z.infer<typeof backendSchema>;

export const NODE_CATEGORIES = ["generation", "processing", "asset", "control"] as const;
export type NodeCategory = typeof NODE_CATEGORIES[number];

export interface SocketDef {
  /** Unique among the node's inputs (or outputs). */
  name: string;
  type: SocketType;
  /** An input that must be connected before the node can run. */
  required?: boolean;
}

/** What a run of the node produces; decides the take's file extension and content type. */
export type OutputKind = "image" | "video" | "audio";

export interface NodeTypeDef {
  type: string;
  title: string;
  category: NodeCategory;
  description: string;
  inputs: readonly SocketDef[];
  outputs: readonly SocketDef[];
  // deno-lint-ignore no-explicit-any
  params: z.ZodObject<any>;
  /** Backends that can run it, in order of preference; empty for nodes that never run. */
  backends: readonly Backend[];
  tiers: readonly Tier[];
  output?: OutputKind;
}

/**
 * Where a run's takes are filed (scene, shot, version), not what a backend makes: every backend
 * "uses" them, whatever its template reads.
 */
export const NAMING_PARAMS: readonly string[] = ["scene", "shot", "version"];

/** Scene and shot numbering, following the production folder convention (SC01 / SHOT-010). */
const naming = {
  scene: z.string().regex(/^SC\d{2,3}$/, "a code like SC01").default("SC01"),
  shot: z.string().regex(/^SHOT-\d{3,4}$/, "a code like SHOT-010").default("SHOT-010"),
  version: z.number().int().min(1).max(99).default(1),
};
const prompt = z.string().trim().min(1, "prompt is required").max(4000);
const seed = z.number().int().min(0).max(2 ** 32 - 1).optional();
const dimension = (fallback: number) =>
  z.number().int().min(64).max(4096).multipleOf(8).default(fallback);

/**
 * A workflow asset of the library (the user's own ComfyUI workflow) that runs the node instead
 * of the agents' built-in templates; on the node types ComfyUI runs.
 */
const workflowAssetId = z.string().min(1).max(64).optional();

/** The parameter naming the workflow asset a node runs (not a value any model reads). */
export const WORKFLOW_PARAM = "workflowAssetId";

/**
 * A Docker model config asset of the library (protocol/docker_models/) that runs the node instead
 * of the agents' own backends; on the node types Docker models implement.
 */
const modelConfigAssetId = z.string().min(1).max(64).optional();

/** The parameter naming the model config asset a node runs (not a value any model reads). */
export const MODEL_CONFIG_PARAM = "modelConfigAssetId";

/**
 * Pins the version of the workflow or model config asset a node runs (absent: the newest when
 * queued). "Use these settings" sets it from a take, so the next run is the one that take was;
 * picking another asset clears it.
 */
const assetVersion = z.number().int().min(1).max(1_000_000).optional();
export const WORKFLOW_VERSION_PARAM = "workflowVersion";
export const MODEL_CONFIG_VERSION_PARAM = "modelConfigVersion";

/** Parameters that choose what runs a node rather than feed the model. */
export const RUNNER_PARAMS: readonly string[] = [
  WORKFLOW_PARAM,
  WORKFLOW_VERSION_PARAM,
  MODEL_CONFIG_PARAM,
  MODEL_CONFIG_VERSION_PARAM,
];

/** A workflow asset to run, and the version it is pinned to, if any. */
const workflowRunner = { workflowAssetId, workflowVersion: assetVersion };
/** A Docker model config asset to run, and the version it is pinned to, if any. */
const modelConfigRunner = { modelConfigAssetId, modelConfigVersion: assetVersion };

const generation = {
  ...naming,
  ...workflowRunner,
  ...modelConfigRunner,
  prompt,
  negativePrompt: z.string().max(4000).default(""),
  seed,
  steps: z.number().int().min(1).max(150).default(20),
  cfg: z.number().min(0).max(30).default(6),
};

const assetParams = z.object({
  assetId: z.string().min(1).max(64).optional(),
  name: z.string().max(200).default(""),
}).strict();

const ALL_TIERS = TIERS;
const CPU_TIERS = ["standard"] as const;

const defs: NodeTypeDef[] = [
  {
    type: "shot.generate",
    title: "Shot",
    category: "generation",
    description: "Text to video for one shot.",
    inputs: [
      { name: "prompt", type: "text" },
      { name: "character", type: "asset" },
      { name: "style", type: "style" },
      { name: "camera", type: "camera" },
      { name: "reference", type: "image" },
    ],
    outputs: [{ name: "video", type: "video" }],
    params: z.object({
      ...generation,
      width: dimension(832),
      height: dimension(480),
      frames: z.number().int().min(1).max(241).default(81),
      fps: z.number().int().min(1).max(60).default(16),
    }).strict(),
    // Docker models last: one runs a shot only where the others cannot (a FlexiAct config).
    backends: ["comfyui", "wan2gp", "gradio", "docker"],
    tiers: ALL_TIERS,
    output: "video",
  },
  {
    type: "image.generate",
    title: "Image",
    category: "generation",
    description: "Text to image: keyframes, character sheets, boards.",
    inputs: [
      { name: "prompt", type: "text" },
      { name: "character", type: "asset" },
      { name: "style", type: "style" },
      // An identity or reference picture (a character sheet take), for models that keep a face.
      { name: "reference", type: "image" },
    ],
    outputs: [{ name: "image", type: "image" }],
    params: z.object({ ...generation, width: dimension(1024), height: dimension(1024) }).strict(),
    backends: ["comfyui", "gradio", "docker"],
    tiers: ALL_TIERS,
    output: "image",
  },
  {
    type: "audio.generate",
    title: "Audio",
    category: "generation",
    description: "Text to music or sound effects.",
    inputs: [{ name: "prompt", type: "text" }],
    outputs: [{ name: "audio", type: "audio" }],
    params: z.object({
      ...naming,
      ...workflowRunner,
      ...modelConfigRunner,
      prompt,
      seed,
      seconds: z.number().min(1).max(300).default(10),
    }).strict(),
    backends: ["comfyui", "docker", "gradio"],
    tiers: ALL_TIERS,
    output: "audio",
  },
  {
    type: "voice.synthesize",
    title: "Voice",
    category: "generation",
    description: "A line of dialogue spoken in a character's voice. Needs a voice model: runs on " +
      "a Docker voice model or a Gradio text-to-speech app with a template; ComfyUI and Wan2GP " +
      "cannot run it.",
    inputs: [
      { name: "text", type: "text" },
      { name: "character", type: "asset", required: true },
      // A recorded line to speak again in the character's voice (voice conversion, e.g. RVC).
      { name: "speech", type: "audio" },
    ],
    outputs: [{ name: "audio", type: "audio" }],
    params: z.object({ ...naming, ...modelConfigRunner, text: prompt, seed }).strict(),
    // No stock ComfyUI node speaks text, and no template of ours does: only these two can.
    backends: ["docker", "gradio"],
    tiers: ALL_TIERS,
    output: "audio",
  },
  {
    type: "style.transfer",
    title: "Style transfer",
    category: "processing",
    description: "Restyle a video with a style reference.",
    inputs: [
      { name: "video", type: "video", required: true },
      { name: "style", type: "style", required: true },
      // An edited first frame to carry through the clip, and where (first-frame editing models).
      { name: "reference", type: "image" },
      { name: "mask", type: "video" },
    ],
    outputs: [{ name: "video", type: "video" }],
    params: z.object({
      ...naming,
      ...workflowRunner,
      ...modelConfigRunner,
      strength: z.number().min(0).max(1).default(0.6),
      seed,
    }).strict(),
    backends: ["comfyui", "docker"],
    tiers: ALL_TIERS,
    output: "video",
  },
  {
    type: "upscale",
    title: "Upscale",
    category: "processing",
    description: "Scale a video up with a high-quality filter.",
    inputs: [{ name: "video", type: "video", required: true }],
    outputs: [{ name: "video", type: "video" }],
    params: z.object({
      ...naming,
      ...modelConfigRunner,
      factor: z.number().min(1).max(4).default(2),
      filter: z.enum(["lanczos", "bicubic", "spline"]).default("lanczos"),
    }).strict(),
    // A Docker upscaling model first (a learned upscaler, when an agent has one), else ffmpeg.
    backends: ["docker", "ffmpeg"],
    tiers: CPU_TIERS,
    output: "video",
  },
  {
    type: "transition",
    title: "Transition",
    category: "processing",
    description: "Crossfade or wipe from one clip into the next.",
    inputs: [
      { name: "from", type: "video", required: true },
      { name: "to", type: "video", required: true },
    ],
    outputs: [{ name: "video", type: "video" }],
    params: z.object({
      ...naming,
      ...modelConfigRunner,
      kind: z.enum(["crossfade", "wipeleft", "wiperight", "wipeup", "wipedown"]).default(
        "crossfade",
      ),
      seconds: z.number().min(0.1).max(10).default(1),
    }).strict(),
    // A Docker model first (a learned transition, when an agent has one), else ffmpeg's xfade.
    backends: ["docker", "ffmpeg"],
    tiers: CPU_TIERS,
    output: "video",
  },
  {
    type: "composite",
    title: "Composite",
    category: "processing",
    description: "Overlay one video on another, with blend mode, opacity and an optional mask.",
    inputs: [
      { name: "base", type: "video", required: true },
      { name: "overlay", type: "video", required: true },
      { name: "mask", type: "video" },
    ],
    outputs: [{ name: "video", type: "video" }],
    params: z.object({
      ...naming,
      ...modelConfigRunner,
      blend: z.enum(["normal", "screen", "multiply", "overlay", "addition"]).default("normal"),
      opacity: z.number().min(0).max(1).default(1),
    }).strict(),
    // A Docker model first (a matting or harmonizing model, when an agent has one), else ffmpeg.
    backends: ["docker", "ffmpeg"],
    tiers: CPU_TIERS,
    output: "video",
  },
  {
    type: "asset.character",
    title: "Character",
    category: "asset",
    description: "A character from the asset library.",
    inputs: [],
    outputs: [{ name: "character", type: "asset" }, { name: "image", type: "image" }],
    params: assetParams,
    backends: [],
    tiers: [],
  },
  {
    type: "asset.style",
    title: "Style",
    category: "asset",
    description: "A look from the asset library.",
    inputs: [],
    outputs: [{ name: "style", type: "style" }],
    params: assetParams,
    backends: [],
    tiers: [],
  },
  {
    type: "asset.location",
    title: "Location",
    category: "asset",
    description: "An environment reference from the asset library.",
    inputs: [],
    outputs: [{ name: "location", type: "asset" }, { name: "image", type: "image" }],
    params: assetParams,
    backends: [],
    tiers: [],
  },
  {
    type: "control.pipeline",
    title: "Pipeline",
    category: "control",
    description: "Groups steps that run in order.",
    inputs: [{ name: "in", type: "any" }],
    outputs: [{ name: "out", type: "any" }],
    params: z.object({ label: z.string().max(200).default("") }).strict(),
    backends: [],
    tiers: [],
  },
  {
    type: "control.conditional",
    title: "Conditional",
    category: "control",
    description: "Passes its input on only when the condition holds.",
    inputs: [{ name: "condition", type: "boolean", required: true }, { name: "in", type: "any" }],
    outputs: [{ name: "out", type: "any" }],
    params: z.object({ label: z.string().max(200).default("") }).strict(),
    backends: [],
    tiers: [],
  },
  {
    type: "control.loop",
    title: "Loop",
    category: "control",
    description: "Repeats its input a number of times (for takes or variations).",
    inputs: [{ name: "in", type: "any" }, { name: "count", type: "number" }],
    outputs: [{ name: "out", type: "any" }],
    params: z.object({ count: z.number().int().min(1).max(100).default(4) }).strict(),
    backends: [],
    tiers: [],
  },
];

export const NODE_TYPES: Readonly<Record<string, NodeTypeDef>> = Object.fromEntries(
  defs.map((def) => [def.type, def]),
);
export const NODE_TYPE_NAMES = defs.map((def) => def.type);

export function nodeType(type: string): NodeTypeDef | undefined {
  return Object.hasOwn(NODE_TYPES, type) ? NODE_TYPES[type] : undefined;
}

/** Executable nodes are the ones some backend can run ("Generate" applies to them). */
export function isExecutable(def: NodeTypeDef): boolean {
  return def.backends.length > 0;
}

/** An output socket may feed an input socket of the same type; `any` accepts everything. */
export function canConnect(from: SocketType, to: SocketType): boolean {
  return from === to || to === "any" || from === "any";
}

export const CONTENT_TYPES: Readonly<Record<OutputKind, { ext: string; contentType: string }>> = {
  image: { ext: "png", contentType: "image/png" },
  video: { ext: "mp4", contentType: "video/mp4" },
  audio: { ext: "wav", contentType: "audio/wav" },
};
