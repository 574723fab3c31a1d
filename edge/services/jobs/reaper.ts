/**
 * Returns expired leases to the queue. A job whose agent stopped reporting goes back to
 * `queued` for another attempt, or fails with the reason once its attempts are spent. Runs on
 * an interval in edge/main.ts; tests call it after moving the clock. Any number of edge
 * instances may run it at once: each job is changed by exactly one statement.
 *
 * @example
 * ```ts
 * const { requeued, failed } = await reapExpiredLeases(deps);
 * ```
 */
import { and, inArray, sql } from "drizzle-orm";
import { jobs } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { afterReturnOrFail } from "./lifecycle.ts";
import { transitionJobs } from "./transitions.ts";

export async function reapExpiredLeases(
  deps: AppDeps,
): Promise<{ requeued: number; failed: number }> {
  const now = deps.now();
  const again = sql`${jobs.attempt} < ${jobs.maxAttempts}`;
  const reason = "lease expired: the agent stopped reporting";
  const reaped = await transitionJobs(deps, {
    where: and(inArray(jobs.state, ["leased", "running"]), sql`${jobs.leaseExpiresAt} <= ${now}`)!,
    to: sql`case when ${again} then 'queued' else 'failed' end`,
    set: {
      leaseAgentId: null,
      leaseExpiresAt: null,
      error: sql`case when ${again} then ${reason}
        else 'failed after ' || ${jobs.attempt} || ' attempts: ' || ${reason} end`,
      finishedAt: sql`case when ${again} then null else ${now} end`,
    },
    actor: "reaper",
    message: reason,
  });
  for (const job of reaped) afterReturnOrFail(deps, job);
  return {
    requeued: reaped.filter((j) => j.state === "queued").length,
    failed: reaped.filter((j) => j.state === "failed").length,
  };
}

/** Runs the reaper every `intervalMs` until the signal aborts; errors are logged, not thrown. */
export function startReaper(deps: AppDeps, intervalMs: number, signal: AbortSignal): void {
  const timer = setInterval(() => {
    reapExpiredLeases(deps).catch((error) =>
      deps.log({ msg: "reaper failed", error: String(error) })
    );
  }, intervalMs);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}
