/**
 * What agents run: the executable node types of the catalog (nodes.ts) and the job types that
 * are no node. `cut.render` (a cut assembled into one film) is queued from a cut, never placed on
 * the canvas, so it lives here beside the catalog: the palette, the room's node rules and the
 * node generate route read `NODE_TYPES` and never see it, while agents advertise it and the edge
 * matches and queues it like any node type.
 *
 * @example
 * ```ts
 * import { CUT_RENDER, workType } from "./work.ts";
 * workType(CUT_RENDER)?.backends; // ["ffmpeg"]
 * workType("image.generate")?.tiers; // ["low", "standard", "high"]
 * ```
 */
import { cutRenderParamsSchema } from "./cut.ts";
import { isExecutable, NODE_TYPES, nodeType, type NodeTypeDef } from "./nodes.ts";

/** What matching and the agent need of a runnable type: its params, backends, tiers, output. */
export type WorkDef = Pick<
  NodeTypeDef,
  "type" | "title" | "description" | "params" | "backends" | "tiers" | "output"
>;

/** The job that renders a cut into one film (params: `CutRenderParams`). */
export const CUT_RENDER = "cut.render";

export const JOB_TYPES: Readonly<Record<string, WorkDef>> = Object.freeze({
  [CUT_RENDER]: {
    type: CUT_RENDER,
    title: "Render cut",
    description: "Conform, trim, transition, mix and encode a cut into one H.264/AAC film.",
    params: cutRenderParamsSchema,
    backends: ["ffmpeg"],
    // CPU work: one tier, and its footprint (tiers.ts) asks for no VRAM.
    tiers: ["standard"],
    output: "video",
  },
});

/** Every type an agent may be asked to run: executable node types, then job types. */
export const WORK_TYPES: readonly WorkDef[] = [
  ...Object.values(NODE_TYPES).filter(isExecutable),
  ...Object.values(JOB_TYPES),
];

/** The runnable type named `type` (a node type or a job type), if there is one. */
export function workType(type: string): WorkDef | undefined {
  const node = nodeType(type);
  if (node) return isExecutable(node) ? node : undefined;
  return Object.hasOwn(JOB_TYPES, type) ? JOB_TYPES[type] : undefined;
}
