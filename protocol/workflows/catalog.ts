/**
 * The stock ComfyUI node classes the studio knows, shipped with the repo as
 * `comfyui_classes.json` (made by scripts/comfyui_classes.ts from the `/object_info` recorded
 * from real ComfyUI 0.3.64 and 0.8.0 servers): what the edge checks a workflow asset's mapping
 * against when it is uploaded or edited.
 *
 * Why a recorded catalogue rather than what agents advertise: a workflow is uploaded and its
 * mapping checked when no agent may be online, the check must give the same answer for everyone
 * whichever machines are up, and a whole `/object_info` (0.8–1 MB) per heartbeat would dwarf
 * the rest of the profile. Classes the catalogue lacks (custom nodes) are not refused: their
 * bound inputs are checked against the workflow's own node, and the agent that runs the job
 * checks every class against its live `/object_info` (a missing one hands the job back, named).
 *
 * @example
 * ```ts
 * import { classInfo } from "./catalog.ts";
 * classInfo("KSampler")?.inputs.seed; // "INT"
 * ```
 */
import data from "./comfyui_classes.json" with { type: "json" };

export const COMFY_VERSIONS = ["0.3.64", "0.8.0"] as const;
export type ComfyVersion = typeof COMFY_VERSIONS[number];

export interface ClassEntry {
  /**
   * Inputs (required and optional) by name: the value type (`INT`, `FLOAT`, `STRING`,
   * `BOOLEAN`, `COMBO`) or the type a link into it must carry (`MODEL`, `CONDITIONING`, ...).
   */
  inputs: Record<string, string>;
  /** Output types, by output index. */
  outputs: string[];
  /** An output node: it saves or shows something (what ComfyUI runs a prompt for). */
  output: boolean;
  /** The recorded versions that have the class. */
  versions: ComfyVersion[];
}

export interface ClassCatalog {
  versions: ComfyVersion[];
  classes: Record<string, ClassEntry>;
}

export const CLASS_CATALOG: ClassCatalog = data as ClassCatalog;

/** A stock class as recorded, or undefined for a class the catalogue lacks (a custom node). */
export function classInfo(name: string): ClassEntry | undefined {
  return Object.hasOwn(CLASS_CATALOG.classes, name) ? CLASS_CATALOG.classes[name] : undefined;
}
