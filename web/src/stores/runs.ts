/**
 * What a node shows about its runs: the active job's progress, the last error, its takes newest
 * first and which one is selected. A pure reducer over job events (HTTP answers and the room's
 * broadcasts), so every collaborator's node reads the same.
 */
import type { JobEvent } from "../../../protocol/canvas.ts";
import type { JobFootprint, QueueEta } from "../../../protocol/fleet.ts";
import type { JobSummary, Take } from "../api/types.ts";

export interface NodeRun {
  /** The job in flight, or the last one that failed or was canceled (for Retry). */
  jobId: string | null;
  phase: "idle" | "queued" | "running" | "failed" | "canceled";
  percent: number;
  message: string;
  /** Seconds left, when the backend can tell. */
  eta: number | null;
  error: string | null;
  /** The job runs at a lower tier than asked: why ("high→standard: largest online GPU 16 GB"). */
  rationale: string | null;
  /** When the job's latest preview frame arrived (null: none yet). */
  previewAt: number | null;
  /** Queued: where it stands ("~4 min: 2 ahead on 2 agents with 24 GB"), read again while queued. */
  queueEta: QueueEta | null;
  /** The pool of the agent that runs it. */
  pool: { id: string; name: string } | null;
  /** The VRAM figure it was matched on (declared, or learned from measured peaks). */
  footprint: JobFootprint | null;
  takes: Take[];
  /** The take someone chose for the node, with who and when; null: nobody did (the newest plays). */
  chosen: Choice | null;
}

/** A take chosen for a node ("circled"). */
export interface Choice {
  takeId: string;
  by: string;
  at: number;
}

export function idleRun(): NodeRun {
  return {
    jobId: null,
    phase: "idle",
    percent: 0,
    message: "",
    eta: null,
    error: null,
    rationale: null,
    previewAt: null,
    queueEta: null,
    pool: null,
    footprint: null,
    takes: [],
    chosen: null,
  };
}

/** The node's selected take: the one chosen for it, else its newest; undefined without takes. */
export function selectedTake(run: NodeRun): Take | undefined {
  const chosen = run.chosen && run.takes.find((t) => t.id === run.chosen!.takeId);
  return chosen ?? run.takes[0];
}

/** Newest first, without duplicates (a take may arrive by broadcast and by reload). */
export function withTake(takes: readonly Take[], take: Take): Take[] {
  return [take, ...takes.filter((t) => t.id !== take.id)].sort((a, b) => b.createdAt - a.createdAt);
}

export function onJobEvent(run: NodeRun, event: JobEvent): NodeRun {
  switch (event.type) {
    case "progress.update": {
      const same = run.jobId === event.taskId;
      return {
        ...run,
        jobId: event.taskId,
        phase: "running",
        percent: event.percent,
        message: event.message,
        eta: event.eta ?? null,
        error: null,
        rationale: event.rationale ?? (same ? run.rationale : null),
        previewAt: event.previewAt ?? (same ? run.previewAt : null),
        queueEta: null,
        pool: same ? run.pool : null,
        footprint: same ? run.footprint : null,
      };
    }
    case "generation.complete": {
      const take = event.take as unknown as Take;
      return { ...idleRun(), takes: withTake(run.takes, take), chosen: run.chosen };
    }
    case "take.described":
      // The take's poster and facts, just after its completion: the same take, nothing else.
      return { ...run, takes: withTake(run.takes, event.take as unknown as Take) };
    case "take.selected":
      // Only a newer choice replaces one (an event may arrive after a reload read it).
      if (run.chosen && run.chosen.at > event.at) return run;
      return { ...run, chosen: { takeId: event.takeId, by: event.by.name, at: event.at } };
    case "error.occurred":
      // A late event of a job this node has since moved past (retried, run again) is stale.
      if (run.jobId !== null && run.jobId !== event.taskId && run.phase !== "failed") return run;
      // A cancel ends the run without failing it: not something to show in red.
      if (event.state === "canceled") {
        return {
          ...run,
          jobId: event.taskId,
          phase: "canceled",
          message: event.message,
          eta: null,
        };
      }
      return {
        ...run,
        jobId: event.taskId,
        phase: "failed",
        error: event.message,
        eta: null,
        previewAt: null,
      };
  }
}

/** The run after Generate was accepted, or after reading a job's state from the API. */
export function onJob(run: NodeRun, job: JobSummary): NodeRun {
  const next = _onJobState(run, job);
  return {
    ...next,
    queueEta: job.state === "queued" ? job.eta ?? null : null,
    pool: job.pool ?? null,
    footprint: job.footprint ?? null,
  };
}

/**
 * A job read again while its node shows it queued or running (the room says nothing while a job
 * waits): a queued one's ETA and reason move on; a running one gains its pool, while its
 * progress stays the room's, which is newer than any read.
 */
export function onJobRead(run: NodeRun, job: JobSummary): NodeRun {
  if (run.jobId !== job.id) return run;
  if (run.phase === "queued") return onJob(run, job);
  if (run.phase === "running") {
    return { ...run, pool: job.pool ?? run.pool, footprint: job.footprint ?? run.footprint };
  }
  return run;
}

function _onJobState(run: NodeRun, job: JobSummary): NodeRun {
  switch (job.state) {
    case "queued":
    case "leased":
      return {
        ...run,
        jobId: job.id,
        phase: "queued",
        percent: 0,
        message: job.waiting?.message ?? "waiting for a GPU agent",
        eta: null,
        error: null,
        rationale: job.rationale,
      };
    case "running":
      return {
        ...run,
        jobId: job.id,
        phase: "running",
        percent: job.progress?.percent ?? run.percent,
        message: job.progress?.message || run.message || "running",
        eta: job.progress?.etaSeconds ?? null,
        error: null,
        rationale: job.rationale,
      };
    case "failed":
      return {
        ...run,
        jobId: job.id,
        phase: "failed",
        error: job.error ?? "the job failed",
        eta: null,
        rationale: job.rationale,
      };
    case "canceled":
      return { ...run, jobId: job.id, phase: "canceled", message: "canceled", eta: null };
    case "succeeded":
      return { ...run, jobId: null, phase: "idle", percent: 100, eta: null };
  }
}

/**
 * The runs to show after reading a project's jobs (newest first): each node's latest job, so a
 * job already running when the page opens shows its progress at once. Succeeded jobs change
 * nothing beyond their takes, which are read separately.
 */
export function latestJobs(jobs: readonly JobSummary[]): Map<string, JobSummary> {
  const latest = new Map<string, JobSummary>();
  for (const job of jobs) {
    const seen = latest.get(job.nodeId);
    if (!seen || job.createdAt > seen.createdAt) latest.set(job.nodeId, job);
  }
  return latest;
}

/** "1:05 left" style text for an ETA in seconds. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left`;
}
