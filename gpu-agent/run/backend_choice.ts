/**
 * Which of this agent's backends runs a claimed job, and why, in words stored as the job's
 * rationale when this agent has several backends for the node type (shots: ComfyUI, Wan2GP, a
 * Gradio app); with one, there is no choice to explain.
 *
 * The rule: backends are tried in the catalog's order of preference, but when Wan2GP can run the
 * job too and the preferred template would fill most of the GPU (over 80 % of its VRAM), Wan2GP
 * is chosen: its memory profiles offload to RAM where ComfyUI would run out of memory on longer
 * clips. A job only one backend can run goes there, saying why the others cannot.
 *
 * @example
 * ```ts
 * const choice = chooseBackend(job, backends, isHealthy, 12282);
 * choice.rationale; // "wan2gp profile 4: 12 GB VRAM, 32 GB RAM; chosen over ComfyUI: its
 *                   //  shot.generate.low template needs 10 of 12 GB"
 * ```
 */
import type { Footprint } from "../../protocol/tiers.ts";
import { type BackendJob, type JobBackend, JobFailure } from "../backends/backend.ts";

/** Above this share of the GPU's VRAM, a template leaves too little room: prefer offloading. */
export const TIGHT_VRAM_SHARE = 0.8;

type Job = Pick<BackendJob, "nodeType" | "tier" | "inputs" | "workflow" | "modelConfig"> & {
  requirements: { backends: string[] };
};

export interface BackendChoice {
  backend: JobBackend;
  /** Set when the node type has several backends: which one runs it, and why. */
  rationale: string | null;
}

const NAMES: Record<string, string> = {
  comfyui: "ComfyUI",
  wan2gp: "Wan2GP",
  gradio: "a Gradio app",
  docker: "Docker",
  ffmpeg: "ffmpeg",
};

const gb = (mib: number) => `${Math.round(mib / 1024)}`;

function label(backend: JobBackend, job: Job): string {
  return backend.rationale?.(job) ?? backend.kind;
}

function footprint(backend: JobBackend, job: Job): Footprint | undefined {
  return (backend as { footprint?: (job: Job) => Footprint | undefined }).footprint?.(job);
}

/**
 * The backend for the job, or a sentence saying none is available now (the job goes back);
 * throws `cannot_run` when none here could ever run it.
 */
export function chooseBackend(
  job: Job,
  backends: readonly JobBackend[],
  isHealthy: (backend: JobBackend) => boolean,
  largestVramMiB: number,
): BackendChoice | string {
  const candidates = job.requirements.backends.flatMap((kind) =>
    backends.filter((b) => b.kind === kind)
  );
  // A job with a workflow (or model config) asset runs that, not a template: any backend that
  // runs those will do.
  const runs = (b: JobBackend) =>
    job.workflow
      ? b.runsWorkflows?.() === true
      : job.modelConfig
      ? b.runsModelConfigs?.() === true
      : b.canRun(job.nodeType, job.tier);
  const able = candidates.filter((b) => isHealthy(b) && runs(b));
  if (able.length === 0) {
    if (candidates.length > 0 && !candidates.some((b) => isHealthy(b))) {
      return `${candidates.map((b) => b.kind).join(" and ")} is not available on this agent now`;
    }
    throw new JobFailure(
      job.workflow
        ? `no backend on this agent runs workflow assets (needs ComfyUI)`
        : job.modelConfig
        ? `no backend on this agent runs model config assets (needs Docker)`
        : `no backend on this agent can run ${job.nodeType} at ${job.tier} ` +
          `(needs ${job.requirements.backends.join(" or ")} with a matching template)`,
      false,
      "cannot_run",
    );
  }
  // A choice to explain: this agent has more than one backend for the node type.
  const several = new Set(candidates.map((b) => b.kind)).size > 1;
  const preferred = able[0]!;
  const offloading = able.find((b) => b.kind === "wan2gp" && b !== preferred);
  const needs = footprint(preferred, job)?.vramMiB ?? 0;
  if (offloading && largestVramMiB > 0 && needs > TIGHT_VRAM_SHARE * largestVramMiB) {
    return {
      backend: offloading,
      rationale: `${label(offloading, job)}; chosen over ${NAMES[preferred.kind]}: its ` +
        `${label(preferred, job).replace(/^\S+ /, "")} template needs ${gb(needs)} of ` +
        `${gb(largestVramMiB)} GB`,
    };
  }
  if (!several) return { backend: preferred, rationale: null };
  const others = [...new Set(candidates.map((b) => b.kind))].filter((k) => k !== preferred.kind);
  const why = others.map((kind) => {
    const other = candidates.find((b) => b.kind === kind)!;
    if (!isHealthy(other)) return `${NAMES[kind]} is not running`;
    if (!runs(other)) {
      return `${NAMES[kind]} has nothing for ${job.nodeType} at ${job.tier}`;
    }
    return needs > 0 && largestVramMiB > 0
      ? `chosen over ${NAMES[kind]}: ${gb(needs)} of ${gb(largestVramMiB)} GB leaves room`
      : `chosen over ${NAMES[kind]}: first in the catalog's order`;
  });
  return { backend: preferred, rationale: [label(preferred, job), ...why].join("; ") };
}
