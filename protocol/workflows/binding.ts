/**
 * A workflow asset's mapping: which of the workflow's node inputs take which node parameters
 * and job input files, which nodes' saved files are the take, which model files it needs and
 * its peak VRAM. The same shape as a ComfyUI template's binding (gpu-agent/backends/comfyui/
 * templates.ts) without the node type and tier, which the asset holds beside it; the agent
 * joins the two and runs the workflow as a template.
 *
 * @example
 * ```ts
 * import { workflowBindingSchema } from "./binding.ts";
 * workflowBindingSchema.parse({ params: { prompt: [["6", "inputs", "text"]] }, outputs: ["9"] });
 * ```
 */
import { z } from "zod";
import { tierSchema } from "../tiers.ts";

const nodeId = z.string().min(1).max(100);
const name = z.string().min(1).max(200);
/** `[nodeId, "inputs", inputName]`: where a value goes in the workflow. */
export const inputPathSchema = z.tuple([nodeId, z.literal("inputs"), name]);
export type InputPath = z.infer<typeof inputPathSchema>;

/** A model file as ComfyUI keeps it: `models/<folder>/<file>` (the file may sit in a subfolder). */
export const modelRefSchema = z.object({
  folder: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a ComfyUI model folder, like checkpoints"),
  file: z.string().min(1).max(200).refine(
    (f) =>
      !/(^|[\\/])\.\.([\\/]|$)/.test(f) && !/^[\\/]/.test(f) &&
      ![...f].some((ch) => ch.charCodeAt(0) < 32),
    "a file name inside the folder",
  ),
}).strict();
export type ModelRef = z.infer<typeof modelRefSchema>;

export const workflowBindingSchema = z.object({
  /** Node parameter (`prompt`, `seed`, ...) → the widget inputs it is written into. */
  params: z.record(name, z.array(inputPathSchema).min(1).max(50)).default({}),
  /** Job input socket (`reference`) → the loader inputs its uploaded file name goes to. */
  inputs: z.record(
    name,
    z.object({
      paths: z.array(inputPathSchema).min(1).max(20),
      required: z.boolean().default(true),
    }).strict(),
  ).default({}),
  /** Nodes whose saved files are the job's takes. */
  outputs: z.array(nodeId).min(1, "choose the node whose saved files are the take").max(20),
  models: z.array(modelRefSchema).max(50).default([]),
  /** Peak VRAM in MiB while it runs (the agent's GPU budget); default: the tier's minimum. */
  vramMiB: z.number().int().min(1).max(1024 * 1024).optional(),
}).strict();
export type WorkflowBinding = z.output<typeof workflowBindingSchema>;
export type WorkflowBindingInput = z.input<typeof workflowBindingSchema>;

/** The stored file of a workflow asset version (immutable, named by its SHA-256). */
export const workflowFileSchema = z.object({
  key: z.string().min(1).max(500),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(1),
  nodes: z.number().int().min(1),
  /** The name of the file the user uploaded, for people. */
  fileName: z.string().max(200).optional(),
});
export type WorkflowFile = z.infer<typeof workflowFileSchema>;

/** A workflow asset's `params`: what it implements, its file, and the mapping. */
export const workflowAssetParamsSchema = z.object({
  nodeType: z.string().min(1).max(64),
  tier: tierSchema,
  file: workflowFileSchema,
  binding: workflowBindingSchema.required({ vramMiB: true }),
});
export type WorkflowAssetParams = z.output<typeof workflowAssetParamsSchema>;
