/**
 * Reads a project's jobs again every few seconds while a node shows one queued (the room tells
 * nothing while a job waits, yet its ETA and reason move on as other jobs run) or running without
 * its pool known yet. Stops reading while nothing is active and while the tab is hidden.
 */
import type { JobSummary } from "../api/types.ts";

export const JOB_WATCH_MS = 4_000;

export function watchActiveJobs(options: {
  active: () => boolean;
  read: () => Promise<JobSummary[]>;
  apply: (jobs: JobSummary[]) => void;
  everyMs?: number;
}): () => void {
  let stopped = false;
  let timer = 0;
  async function tick(): Promise<void> {
    try {
      if (options.active() && document.visibilityState !== "hidden") {
        const jobs = await options.read();
        if (!stopped) options.apply(jobs);
      }
    } catch {
      // Kept as last read; the next read may work.
    } finally {
      if (!stopped) timer = Number(setTimeout(tick, options.everyMs ?? JOB_WATCH_MS));
    }
  }
  timer = Number(setTimeout(tick, options.everyMs ?? JOB_WATCH_MS));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
