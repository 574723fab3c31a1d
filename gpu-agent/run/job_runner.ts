/**
 * Runs one claimed job from start to finish: picks the backend, waits for a GPU slot (unloading
 * other models first when needed), runs it with throttled progress, uploads each output to a
 * take slot with its sha256, and completes. Then, the lease ended (the daemon claims the next
 * job) and the GPU slot released, it describes each video take (describe_takes.ts: facts and a
 * poster frame by ffmpeg) before removing the job's files (a draining agent reads them before
 * completing: it has no next job). Every way out is reported honestly:
 * - a backend failure → `fail` (retriable or not, with the backend's reason);
 * - the backend went away or restarted mid-run → it is marked down first (so the agent stops
 *   advertising it), then `fail` flagged `infrastructure`: back to the queue, no attempt spent;
 * - this agent cannot run the job after all → its profile is refreshed, and the job `release`d
 *   flagged `cannotRun` (not offered to it again until its profile changes);
 * - canceled in the studio (an event answered `canceled`) → the backend is aborted, nothing sent;
 * - lease lost (409) → aborted at once, never completed;
 * - the agent interrupted (second Ctrl-C) → aborted and `release`d back to the queue.
 */
import type { ClaimedJob, CompletedOutput } from "../../protocol/jobs.ts";
import type { Footprint } from "../../protocol/tiers.ts";
import type { BackendJob, BackendResult, JobBackend, ProgressReport } from "../backends/backend.ts";
import { JobFailure } from "../backends/backend.ts";
import type { Logger } from "../log/logger.ts";
import { describeError } from "../net/outage_log.ts";
import type { ProgressRenderer } from "../progress/renderer.ts";
import type { Clock } from "../../protocol/clock.ts";
import { uploadFile } from "../upload/mod.ts";
import { AgentRejected, BadEdgeAnswer, LeaseLost } from "./edge_client.ts";
import type { EdgeCalls } from "./edge_calls.ts";
import { chooseBackend } from "./backend_choice.ts";
import {
  type DeliveredVideo,
  type DescribeQueue,
  describeTakes,
  readVideos,
} from "./describe_takes.ts";
import { DoesNotFit, type GpuSlots, MODEL_FREE, type Slot } from "./gpu_slots.ts";
import { JobEvents } from "./job_events.ts";
import { JobBar } from "../progress/job_bar.ts";
import type { TraceEvent } from "./trace.ts";
import type { VramSampler } from "../detect/vram_sampler.ts";

/** How a job ended, as far as this agent is concerned. */
export type JobOutcome =
  | "succeeded"
  | "failed"
  /** Failed retriably; the edge queued it again. */
  | "requeued"
  | "canceled"
  | "lease_lost"
  /** Handed back to the queue (shutdown, or the backend went away). */
  | "released";

export interface RunnerDeps {
  edge: EdgeCalls;
  backends: readonly JobBackend[];
  /** Whether the backend was healthy at the last health check. */
  isHealthy: (backend: JobBackend) => boolean;
  /** Re-checks the backends and heartbeats, so the edge stops offering what we cannot run. */
  refreshProfile: () => Promise<void>;
  /** A run found the backend unreachable: mark it down and heartbeat, before the job goes back. */
  backendDown: (backend: JobBackend, problem: string) => Promise<void>;
  slots: GpuSlots;
  /** Where finished jobs wait their turn to describe their video takes. */
  describeQueue: DescribeQueue;
  /** Whether the agent is draining (claims no more): posters are then made before completing. */
  draining?: () => boolean;
  /** Samples the job's GPU memory while it runs (its peak goes with the completion). */
  vram?: VramSampler;
  /** Parent of each job's private folder, and of the take cache (`cache/`) jobs share. */
  workDir: string;
  clock: Clock;
  logger: Logger;
  renderer: ProgressRenderer | null;
  maxEventsPerSecond?: number;
  /** Called when the edge rejects the agent's credentials (the daemon stops). */
  onRejected: (error: AgentRejected) => void;
  trace?: (event: TraceEvent) => void;
}

/** Why a job's signal was aborted. */
export class JobStop extends Error {
  constructor(readonly kind: "canceled" | "lease_lost" | "interrupted") {
    super(`job stopped: ${kind}`);
    this.name = "JobStop";
  }
}

export interface RunningJob {
  readonly job: ClaimedJob;
  readonly outcome: Promise<JobOutcome>;
  /**
   * Resolves once the job no longer holds its lease (completed, failed, released, canceled or
   * lost), before its takes are described and its files removed: the daemon may claim the next
   * job then. The outcome waits for both.
   */
  readonly leaseEnded: Promise<void>;
  /** Aborts the backend and releases the job to the queue (second Ctrl-C). */
  interrupt(): void;
}

/** A backend that can tell the footprint of the template it would run for a job (ComfyUI). */
interface FootprintSource {
  footprint(job: BackendJob): Footprint | undefined;
}

/**
 * Starts the job. `hardSignal` aborts everything including edge calls (the agent exits now);
 * the outcome rejects only with `AgentRejected` or when `hardSignal` aborts.
 */
export function startJob(job: ClaimedJob, deps: RunnerDeps, hardSignal: AbortSignal): RunningJob {
  const stop = new AbortController();
  const stopWith = (kind: JobStop["kind"]) => {
    if (!stop.signal.aborted) stop.abort(new JobStop(kind));
  };
  const signal = AbortSignal.any([stop.signal, hardSignal]);
  let endLease!: () => void;
  const leaseEnded = new Promise<void>((resolve) => endLease = resolve);
  const outcome = _run(job, deps, { signal, hardSignal, stopWith }, endLease);
  return { job, outcome, leaseEnded, interrupt: () => stopWith("interrupted") };
}

interface Control {
  /** The job's signal: stop, or the agent's hard stop. */
  signal: AbortSignal;
  hardSignal: AbortSignal;
  stopWith: (kind: JobStop["kind"]) => void;
}

async function _run(
  job: ClaimedJob,
  deps: RunnerDeps,
  control: Control,
  endLease: () => void,
): Promise<JobOutcome> {
  const label = `job ${job.id.slice(0, 8)}`;
  const { logger, edge } = deps;
  logger.info(
    `${label}: ${job.nodeType} at ${job.tier} (attempt ${job.attempt} of ${job.maxAttempts})`,
  );
  const events = new JobEvents({
    edge,
    jobId: job.id,
    leaseMs: job.leaseMs,
    signal: control.hardSignal,
    clock: deps.clock,
    logger,
    ...(deps.maxEventsPerSecond ? { maxPerSecond: deps.maxEventsPerSecond } : {}),
    onCanceled: () => control.stopWith("canceled"),
    onLeaseLost: () => control.stopWith("lease_lost"),
    onRejected: (error) => {
      control.stopWith("interrupted");
      deps.onRejected(error);
    },
  });
  // One bar for the whole job, never backwards: the run fills most of it, the upload the rest.
  const bar = new JobBar();
  const show = (progress: ProgressReport) => {
    events.push(progress);
    deps.renderer?.update(label, progress);
  };
  const report = (progress: ProgressReport) => show(bar.run(progress));
  // A folder per claim: a job retried at once may run again while this run's files are removed.
  const workDir = `${deps.workDir}/${job.id}-${crypto.randomUUID().slice(0, 8)}`;
  let outcome: JobOutcome;
  const chosen: Chosen = { backend: null };
  const delivered: DeliveredVideo[] = [];
  try {
    try {
      report({ percent: 0, message: "starting" });
      outcome = await _execute(
        job,
        deps,
        control,
        { report, show, bar },
        events,
        label,
        workDir,
        { chosen, delivered },
      );
    } catch (error) {
      outcome = await _settle(job, deps, control, error, label, chosen.backend);
    } finally {
      await events.close();
    }
    deps.renderer?.done(label, outcome.replace("_", " "));
  } finally {
    // The edge knows how the job ended: the next job may start while this one's files go.
    endLease();
  }
  try {
    if (delivered.length > 0) {
      await deps.describeQueue.run(() =>
        describeTakes(job.id, delivered, deps, control.signal, label)
      );
      deps.trace?.({ type: "described", jobId: job.id });
    }
  } catch (error) {
    // Interrupted (second Ctrl-C): the job is done, its takes simply stay without posters.
    if (error instanceof AgentRejected || control.hardSignal.aborted) throw error;
    deps.logger.warn(`${label}: interrupted before its poster frames were made`);
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
  deps.trace?.({ type: "settled", jobId: job.id, outcome });
  return outcome;
}

/** The backend a run went to, once chosen (a failure may be that backend's fault). */
interface Chosen {
  backend: JobBackend | null;
}

/** What a run leaves behind: its backend, and the video takes to describe after the lease. */
interface RunRecord {
  chosen: Chosen;
  delivered: DeliveredVideo[];
}

/** Where a job's progress goes: `report` for the run's reports, `show` for the bar's own. */
interface Progress {
  report: (progress: ProgressReport) => void;
  show: (progress: ProgressReport) => void;
  bar: JobBar;
}

async function _execute(
  job: ClaimedJob,
  deps: RunnerDeps,
  control: Control,
  progress: Progress,
  events: JobEvents,
  label: string,
  workDir: string,
  { chosen, delivered }: RunRecord,
): Promise<JobOutcome> {
  const { report } = progress;
  const backendJob: BackendJob = {
    jobId: job.id,
    nodeType: job.nodeType,
    tier: job.tier,
    params: job.params,
    inputs: job.inputs.map((i) => ({
      socket: i.socket,
      url: i.url,
      contentType: i.contentType,
      ...(i.sha256 ? { sha256: i.sha256 } : {}),
    })),
    ...(job.workflow ? { workflow: job.workflow } : {}),
    ...(job.modelConfig ? { modelConfig: job.modelConfig } : {}),
    workDir,
    cacheDir: `${deps.workDir}/cache`,
  };
  const choice = chooseBackend(
    { ...backendJob, requirements: job.requirements },
    deps.backends,
    deps.isHealthy,
    deps.slots.largestVramMiB,
  );
  if (typeof choice === "string") {
    // The backend went away since the last heartbeat: say so, then hand the job back.
    await deps.refreshProfile();
    await _release(job, deps, control, choice);
    deps.logger.warn(`${label}: released: ${choice}`);
    return "released";
  }
  const backend = choice.backend;
  chosen.backend = backend;
  // Which backend and why rides on the next event: the edge stores it as the job's rationale.
  if (choice.rationale) events.rationale(choice.rationale);
  // The template this job will run tells what it loads; a model-free one loads nothing.
  const footprint = (backend as Partial<FootprintSource>).footprint?.(backendJob);
  const models = [...(footprint?.models ?? job.requirements.models)].sort();
  const request = {
    vramMiB: footprint?.vramMiB ?? job.requirements.minVramMiB,
    modelsKey: footprint && models.length === 0
      ? MODEL_FREE
      : `${backend.kind}:${models.join(",") || `${job.nodeType}:${job.tier}`}`,
  };
  if (request.vramMiB > 0 && deps.slots.freeGpus === 0) {
    report({ percent: 0, message: "waiting for a free GPU" });
  }
  let slot: Slot;
  try {
    slot = await deps.slots.acquire(request, control.signal);
  } catch (error) {
    if (error instanceof DoesNotFit) throw new JobFailure(error.message, false, "cannot_run");
    throw error;
  }
  try {
    if (slot.unloadFirst) {
      // The models on the GPU may be another backend's (ComfyUI's, before a Docker model):
      // every backend that keeps models is told; only this job's own must succeed.
      const holders = deps.backends.filter((b) => b.free && (b === backend || deps.isHealthy(b)));
      if (holders.length > 0) {
        report({ percent: 0, message: "unloading the previous job's models" });
      }
      for (const holder of holders) {
        await (holder === backend ? holder.free!() : holder.free!().catch(() => {}));
      }
      slot.unloaded();
    }
    // One metadata call of microseconds, right before the prompt is queued: the async form
    // would wait for a thread-pool turn, a millisecond or more on a busy machine.
    Deno.mkdirSync(workDir, { recursive: true });
    deps.trace?.({ type: "backend_started", jobId: job.id });
    const vram = deps.vram?.watch(slot.gpu);
    let result: BackendResult;
    let peakVramMiB: number | undefined;
    try {
      result = await backend.run(backendJob, {
        signal: control.signal,
        onProgress: report,
        onPreview: (frame) => events.preview(frame),
        gpu: slot.gpu,
      });
    } finally {
      peakVramMiB = await vram?.stop();
    }
    deps.trace?.({ type: "backend_finished", jobId: job.id });
    if (result.outputs.length === 0) {
      throw new JobFailure(`${backend.kind} finished without an output file`, false, "output");
    }
    const early = deps.draining?.()
      ? await readVideos(result.outputs, deps, control.signal, label)
      : null;
    // The last backend step always reaches the edge, before the (maybe long) upload.
    const sizes = await Promise.all(
      result.outputs.map(async (o) => (await Deno.stat(o.path)).size),
    );
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const uploading = progress.bar.upload(
      0,
      total,
      `uploading ${_plural(result.outputs.length, "output")}`,
    );
    events.now(uploading);
    deps.renderer?.update(label, uploading);
    const { outputs, videos } = await _upload(job, deps, control, result, progress, {
      sizes,
      total,
    });
    for (const [i, video] of videos.entries()) {
      const described = early?.[result.outputs.findIndex((o) => o.path === video.path)];
      if (described !== undefined) videos[i] = { ...video, described };
    }
    await events.close();
    const done = await deps.edge.call(
      "complete",
      (s) =>
        deps.edge.client.complete(job.id, {
          outputs,
          ...(result.template ? { template: result.template.slice(0, 200) } : {}),
          ...(result.seed !== undefined && Number.isSafeInteger(result.seed) && result.seed >= 0
            ? { seed: result.seed }
            : {}),
          ...(result.params ? { params: result.params } : {}),
          ...(peakVramMiB !== undefined ? { peakVramMiB } : {}),
        }, s),
      control.signal,
    );
    deps.trace?.({ type: "completed", jobId: job.id });
    deps.logger.info(`${label}: done: ${done.takes.map((t) => t.name).join(", ")}`);
    delivered.push(...videos);
    return "succeeded";
  } finally {
    slot.release();
  }
}

async function _upload(
  job: ClaimedJob,
  deps: RunnerDeps,
  control: Control,
  result: BackendResult,
  progress: Progress,
  bytes: { sizes: number[]; total: number },
): Promise<{ outputs: CompletedOutput[]; videos: DeliveredVideo[] }> {
  const outputs: CompletedOutput[] = [];
  const videos: DeliveredVideo[] = [];
  let before = 0;
  deps.trace?.({ type: "upload_started", jobId: job.id });
  for (const [i, output] of result.outputs.entries()) {
    const slot = await deps.edge.call(
      "outputs",
      (s) =>
        deps.edge.client.output(job.id, { ext: output.ext, contentType: output.contentType }, s),
      control.signal,
    );
    const name = slot.key.split("/").at(-1) ?? slot.key;
    const put = await uploadFile(output.path, slot.uploadUrl, {
      contentType: output.contentType,
      headers: slot.headers,
      signal: control.signal,
      onProgress: (sent, total) =>
        progress.show(progress.bar.upload(
          before + sent,
          bytes.total,
          `uploading ${name} (${i + 1}/${result.outputs.length}): ${_mb(sent)} of ${_mb(total)} MB`,
        )),
      retry: { logger: deps.logger, clock: deps.clock },
    });
    before += bytes.sizes[i] ?? put.bytes;
    outputs.push({
      takeId: slot.takeId,
      bytes: put.bytes,
      sha256: put.sha256,
      contentType: output.contentType,
    });
    if (output.contentType.startsWith("video/")) {
      videos.push({
        takeId: slot.takeId,
        path: output.path,
        ...(slot.poster ? { poster: slot.poster } : {}),
      });
    }
  }
  deps.trace?.({ type: "upload_finished", jobId: job.id });
  return { outputs, videos };
}

/** Turns whatever stopped the job into the edge call it calls for, and the outcome. */
async function _settle(
  job: ClaimedJob,
  deps: RunnerDeps,
  control: Control,
  error: unknown,
  label: string,
  backend: JobBackend | null,
): Promise<JobOutcome> {
  if (error instanceof AgentRejected) throw error;
  if (control.hardSignal.aborted) throw control.hardSignal.reason;
  const stop = control.signal.aborted ? control.signal.reason : null;
  const kind = stop instanceof JobStop
    ? stop.kind
    : error instanceof LeaseLost
    ? "lease_lost"
    : null;
  if (kind === "canceled") {
    deps.logger.info(`${label}: canceled in the studio; stopped`);
    return "canceled";
  }
  if (kind === "lease_lost") {
    deps.logger.warn(
      `${label}: the edge says this agent no longer holds the job; stopped without completing`,
    );
    return "lease_lost";
  }
  if (kind === "interrupted") {
    await _release(job, deps, control, "agent interrupted (shutting down)");
    deps.logger.warn(`${label}: interrupted and released back to the queue`);
    return "released";
  }
  const failure = error instanceof JobFailure ? error : new JobFailure(
    describeError(error),
    // Unexpected errors (an upload that kept failing) may pass on another try; a protocol
    // mismatch will not.
    !(error instanceof BadEdgeAnswer),
    "runtime",
  );
  if (failure.code === "cannot_run") {
    // Our profile promised what we cannot do: bring it up to date, then hand the job back.
    await deps.refreshProfile();
    await _release(job, deps, control, `${failure.message} (on this agent)`, { cannotRun: true });
    deps.logger.warn(
      `${label}: handed back: ${failure.message}; not offered to this agent again until what it advertises changes`,
    );
    return "released";
  }
  // Before the job goes back: the edge must know the backend is down before we claim again.
  if (failure.code === "backend_down" && backend) await deps.backendDown(backend, failure.message);
  try {
    const answer = await deps.edge.call(
      "fail",
      (s) =>
        deps.edge.client.fail(job.id, {
          reason: failure.message.slice(0, 4000) || failure.code,
          retriable: failure.retriable,
          infrastructure: failure.infrastructure,
        }, s),
      control.hardSignal,
    );
    const requeued = answer.state === "queued";
    const again = failure.infrastructure
      ? " (back in the queue, no attempt spent)"
      : " (will be retried)";
    deps.logger.warn(`${label}: failed${requeued ? again : ""}: ${failure.message}`);
    return requeued ? "requeued" : "failed";
  } catch (failError) {
    if (failError instanceof LeaseLost) return "lease_lost";
    throw failError;
  }
}

async function _release(
  job: ClaimedJob,
  deps: RunnerDeps,
  control: Control,
  reason: string,
  options: { cannotRun?: boolean } = {},
): Promise<void> {
  try {
    await deps.edge.call(
      "release",
      (s) => deps.edge.client.release(job.id, reason.slice(0, 1000), s, options),
      control.hardSignal,
    );
  } catch (error) {
    // Released or not, the job is no longer ours; a lost lease means the edge took it back.
    if (!(error instanceof LeaseLost)) throw error;
  }
}

function _mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function _plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
