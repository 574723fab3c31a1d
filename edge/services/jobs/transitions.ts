/**
 * Every change of a job's state goes through here, so every transition lands in `job_events`.
 * One batch (one transaction) first records an event for each job matching `where`, read from
 * the row as it is, then updates the same rows: the event and the change commit together or
 * not at all, and a job that stopped matching (another request won) gets neither.
 */
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { jobs } from "../../../db/schema/mod.ts";
import type { JobState } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";

export type JobRow = typeof jobs.$inferSelect;

export interface Transition {
  /** Which jobs change; must include the states they may change from. */
  where: SQL;
  /** The new state: a constant, or an expression over the current row (the reaper's CASE). */
  to: JobState | SQL;
  /** The attempt number after the change, as an expression; defaults to the current one. */
  attempt?: SQL;
  set: SQLiteUpdateSetSource<typeof jobs>;
  /** `user:<id>`, `agent:<id>` or `reaper`. */
  actor: string;
  message: string | SQL;
}

/** Applies the transition and returns the changed rows (empty when none matched). */
export async function transitionJobs(deps: AppDeps, t: Transition): Promise<JobRow[]> {
  const [, updated] = await deps.db.batch(transitionStatements(deps, t));
  return updated;
}

/**
 * The two statements of a transition, for callers that must commit more in the same batch
 * (completion marks takes ready together with the job).
 */
export function transitionStatements(deps: AppDeps, t: Transition) {
  const now = deps.now();
  const to = typeof t.to === "string" ? sql`${t.to}` : t.to;
  const attempt = t.attempt ?? sql`${jobs.attempt}`;
  return [
    deps.db.run(sql`
      insert into job_events (job_id, from_state, to_state, attempt, agent_id, actor, message, at)
      select ${jobs.id}, ${jobs.state}, ${to}, ${attempt}, ${jobs.leaseAgentId}, ${t.actor}, ${t.message}, ${now}
      from ${jobs} where ${t.where}`),
    deps.db.update(jobs).set({
      ...t.set,
      state: to as unknown as JobState,
      attempt,
      updatedAt: now,
    })
      .where(t.where).returning(),
  ] as const;
}
