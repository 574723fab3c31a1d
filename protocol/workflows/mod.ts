/**
 * Workflow assets: a user's own ComfyUI workflow (API format) with the mapping that lets a node
 * run it. Shared by the edge (upload, checks, jobs), the agent (the binding it runs) and the
 * studio (the file check before upload, the mapping editor).
 *
 * @example
 * ```ts
 * import { detectBinding, readWorkflow } from "./mod.ts";
 * const read = readWorkflow(text);
 * if (!("problem" in read)) detectBinding(read.workflow, "image.generate", "standard");
 * ```
 */
export * from "./binding.ts";
export { type BindingProblem, bindingProblems, classNotes } from "./check.ts";
export { type ClassEntry, classInfo, COMFY_VERSIONS, type ComfyVersion } from "./catalog.ts";
export { detectBinding, type Detection, nodeOrder } from "./detect.ts";
export * from "./format.ts";
export { MODEL_FOLDERS, MODEL_INPUTS } from "./known_nodes.ts";
