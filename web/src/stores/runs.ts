/**
 * What a node shows about its runs: the active job's progress, the last error, and its takes
 * newest first. A pure reducer over job events (HTTP answers and the room's broadcasts), so
 * every collaborator's node reads the same.
 */
import type { JobEvent } from "../../../protocol/canvas.ts";
import type { JobSummary, Take } from "../api/types.ts";

export interface NodeRun {
  /** The job in flight, if any. */
  jobId: string | null;
  phase: "idle" | "queued" | "running" | "failed" | "canceled";
  percent: number;
  message: string;
  /** Seconds left, when the backend can tell. */
  eta: number | null;
  error: string | null;
  takes: Take[];
}

export function idleRun(): NodeRun {
  return { jobId: null, phase: "idle", percent: 0, message: "", eta: null, error: null, takes: [] };
}

/** Newest first, without duplicates (a take may arrive by broadcast and by reload). */
export function withTake(takes: readonly Take[], take: Take): Take[] {
  return [take, ...takes.filter((t) => t.id !== take.id)].sort((a, b) => b.createdAt - a.createdAt);
}

export function onJobEvent(run: NodeRun, event: JobEvent): NodeRun {
  switch (event.type) {
    case "progress.update":
      return {
        ...run,
        jobId: event.taskId,
        phase: "running",
        percent: event.percent,
        message: event.message,
        eta: event.eta ?? null,
        error: null,
      };
    case "generation.complete": {
      const take = event.take as unknown as Take;
      return { ...idleRun(), takes: withTake(run.takes, take) };
    }
    case "error.occurred":
      return { ...run, jobId: event.taskId, phase: "failed", error: event.message, eta: null };
  }
}

/** The run after Generate was accepted, or after reading a job's state from the API. */
export function onJob(run: NodeRun, job: JobSummary): NodeRun {
  switch (job.state) {
    case "queued":
    case "leased":
      return {
        ...run,
        jobId: job.id,
        phase: "queued",
        percent: 0,
        message: job.rationale ?? "waiting for a GPU agent",
        eta: null,
        error: null,
      };
    case "running":
      return {
        ...run,
        jobId: job.id,
        phase: "running",
        percent: job.progress ?? run.percent,
        message: job.message ?? run.message,
        error: null,
      };
    case "failed":
      return {
        ...run,
        jobId: job.id,
        phase: "failed",
        error: job.error ?? "the job failed",
        eta: null,
      };
    case "canceled":
      return { ...run, jobId: null, phase: "canceled", message: "canceled", eta: null };
    case "succeeded":
      return { ...run, jobId: null, phase: "idle", percent: 100, eta: null };
  }
}

/** "1:05 left" style text for an ETA in seconds. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left`;
}
