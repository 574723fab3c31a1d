/**
 * The one interface every local backend (ComfyUI, ffmpeg, later Wan2GP and Docker) implements.
 * The claim loop only ever talks to backends through it, so a backend can be added without
 * touching the loop.
 */
import type {
  BlockedWork,
  ClaimedModelConfig,
  ClaimedWorkflow,
  MediaFacts,
  ModelFile,
  TemplateWork,
  Work,
} from "../../protocol/jobs.ts";
import type { Backend } from "../../protocol/nodes.ts";
import type { Tier } from "../../protocol/tiers.ts";
import { WORK_TYPES } from "../../protocol/work.ts";
import type { Logger } from "../log/logger.ts";

export type { BlockedWork, Work };

/** What a backend reports about itself on every health check (sent in the heartbeat). */
export interface BackendStatus {
  kind: Backend;
  /** Backend version when it could be read (e.g. ComfyUI's `comfyui_version`). */
  version: string | null;
  healthy: boolean;
  /** Names of the templates (ComfyUI) or capabilities (ffmpeg filters) it can run right now. */
  templates: string[];
  /** Model files the backend has installed (ComfyUI model folders). */
  models: string[];
  /**
   * Exactly the (node type, tier) pairs it can run now; the edge offers only these. Each may
   * name the job parameters its templates read (the studio shows the others as unused).
   */
  runnable?: TemplateWork[];
  /** Pairs it has a template for but cannot run now, and what each lacks. */
  blocked?: BlockedWork[];
  /** Why it is unhealthy, phrased as a fix for the user ("start ComfyUI on 127.0.0.1:8188"). */
  problem?: string;
  /** It runs the studio's workflow assets (ComfyUI when healthy). */
  workflows?: boolean;
  /** It runs the studio's model config assets (Docker when healthy). */
  modelConfigs?: boolean;
}

/** One template as the last probe found it: runnable when nothing is missing. */
export interface TemplateReport extends Work {
  name: string;
  missingClasses: string[];
  missingModels: ModelFile[];
}

/** An input file for the job: an upstream take, readable from a (signed) URL. */
export interface JobInput {
  /** The input socket of the node it feeds (e.g. "from", "to", "reference"). */
  socket: string;
  url: string;
  contentType: string;
  /** The take's SHA-256, when the edge sent it: the file may come from the take cache. */
  sha256?: string;
}

/** Everything a backend needs to run one job. */
export interface BackendJob {
  jobId: string;
  nodeType: string;
  tier: Tier;
  params: Record<string, unknown>;
  inputs: JobInput[];
  /** The user's workflow asset to run instead of the backend's own templates (ComfyUI). */
  workflow?: ClaimedWorkflow;
  /** The user's Docker model config asset to run instead of the agent's own configs (Docker). */
  modelConfig?: ClaimedModelConfig;
  /** A private folder for this job's files; the caller removes it afterwards. */
  workDir: string;
  /**
   * A folder kept between jobs, shared by them, for downloads worth keeping (take_cache.ts);
   * without one, nothing outlives the job.
   */
  cacheDir?: string;
}

export interface ProgressReport {
  /** Overall progress of the job, 0-100. */
  percent: number;
  /** What is happening, for people ("KSampler: step 12/20"). */
  message: string;
  step?: { current: number; total: number };
  etaSeconds?: number;
}

/** A finished file in the job's work folder, ready to upload. */
export interface BackendOutput {
  path: string;
  contentType: string;
  /** File extension without the dot ("mp4"). */
  ext: string;
}

export interface BackendResult {
  outputs: BackendOutput[];
  /** Which template ran (lineage), when the backend uses templates. */
  template?: string;
  /** The seed actually used (lineage), when there was one. */
  seed?: number;
  /**
   * The job parameters the backend actually used (lineage), when it uses only some: a
   * template reads the parameters its binding names and ignores the rest.
   */
  params?: Record<string, unknown>;
}

/** A picture of the work in progress (ComfyUI's latent previews), as the backend sent it. */
export interface PreviewFrame {
  contentType: "image/jpeg" | "image/png";
  bytes: Uint8Array;
}

export interface RunOptions {
  /** Aborted when the job is canceled or the agent shuts down hard; the backend must stop. */
  signal: AbortSignal;
  onProgress: (report: ProgressReport) => void;
  /** Preview frames, as often as the backend makes them (the runner throttles). */
  onPreview?: (preview: PreviewFrame) => void;
  /**
   * The GPU (its index) the agent's VRAM budget gave the job; null for CPU work. Backends that
   * start their own processes pin them to it (Docker's device request).
   */
  gpu?: number | null;
}

/**
 * Why a job failed. `retriable` failures (network, out of memory) may be tried again by another
 * attempt; the others (bad params, model error) fail the job with `message` as reason. Two codes
 * are the machine's fault, not the job's, and spend no attempt:
 * - `backend_down`: the backend stopped answering (the agent marks it down at once);
 * - `backend_restarted`: it answered again but had forgotten the run (restarted, queue cleared).
 * And `cannot_run`: this agent cannot run the job after all (its advertised profile was out of
 * date, or the template needs more VRAM than any GPU here): it is handed back untouched.
 */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly code:
      | "validation"
      | "runtime"
      | "unavailable"
      | "canceled"
      | "output"
      | "backend_down"
      | "backend_restarted"
      | "cannot_run",
  ) {
    super(message);
    this.name = "JobFailure";
  }

  /** The backend failed the run, not the job: it goes back to the queue, attempt not spent. */
  get infrastructure(): boolean {
    return this.code === "backend_down" || this.code === "backend_restarted";
  }
}

/** What the agent learns about a finished video before it uploads it. */
export interface VideoDescription {
  media: MediaFacts;
  /** A small JPEG of a representative frame, or null when none could be made. */
  posterPath: string | null;
}

export interface JobBackend {
  readonly kind: Backend;
  /** Checks the backend is there and what it can run; never throws (unhealthy instead). */
  probe(signal?: AbortSignal): Promise<BackendStatus>;
  /** Whether this backend, as last probed, can run this node type at this tier. */
  canRun(nodeType: string, tier: Tier): boolean;
  /** Whether, as last probed, it runs the studio's workflow assets (ComfyUI); optional. */
  runsWorkflows?(): boolean;
  /** Whether, as last probed, it runs the studio's model config assets (Docker); optional. */
  runsModelConfigs?(): boolean;
  /** Runs the job to completion; throws JobFailure (code "canceled" when the signal aborts). */
  run(job: BackendJob, options: RunOptions): Promise<BackendResult>;
  /** Templates that could not be loaded, one line each with its fix; optional. */
  readonly templateProblems?: readonly string[];
  /** What the last probe found for each of its templates (ComfyUI), for `doctor`; optional. */
  templateReport?(): TemplateReport[];
  /** More lines for `doctor` about what the last probe found (Wan2GP, Gradio apps); optional. */
  describe?(): string[];
  /**
   * Why this backend suits the job, in a few words stored as the job's rationale when it is
   * chosen among several ("wan2gp profile 4: 12 GB VRAM, 32 GB RAM"); optional.
   */
  rationale?(job: Pick<BackendJob, "nodeType" | "tier" | "inputs">): string;
  /** Frees GPU memory between incompatible jobs (ComfyUI `POST /free`); optional. */
  free?(): Promise<void>;
  /**
   * Called once when `run` starts (never by `doctor`), before the first claim: Docker removes
   * the containers a crashed run of this agent left; optional.
   */
  start?(logger: Logger): Promise<void>;
  /** Lets go of what the backend keeps open between jobs (ComfyUI's `/ws`); optional. */
  close?(): Promise<void>;
  /**
   * Reads a video's facts and makes its poster frame (ffmpeg), for any backend's video
   * outputs; optional. Throws when the file is not a readable video.
   */
  describeVideo?(path: string, signal: AbortSignal): Promise<VideoDescription>;
}

/**
 * Every (node type, tier) pair that a backend of `kind` serves and can run now: executable node
 * types of the catalog and job types such as `cut.render` (protocol/work.ts), with the
 * parameters it reads there when `readParams` tells them.
 */
export function runnableWork(
  kind: Backend,
  canRun: (nodeType: string, tier: Tier) => boolean,
  readParams?: (nodeType: string, tier: Tier) => string[],
): TemplateWork[] {
  return WORK_TYPES.flatMap((def) =>
    def.backends.includes(kind)
      ? def.tiers.filter((tier) => canRun(def.type, tier)).map((tier) => ({
        nodeType: def.type,
        tier,
        ...(readParams ? { params: readParams(def.type, tier) } : {}),
      }))
      : []
  );
}
