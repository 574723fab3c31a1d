/**
 * What a successful run leaves behind for learning and metrics: its `job_runs` row (duration,
 * peak VRAM, GPU class, pool) and its place in the `md_job_duration_seconds` histogram. Both are
 * statements for the completion's own batch, written only if that batch's transition to
 * `succeeded` happened (the job finished at the completion's time).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { fleetCounters, jobEvents, jobRuns } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import type { CallingAgent } from "../agents.ts";
import type { JobRow } from "../jobs/transitions.ts";
import { footprintKey, gpuClassOf } from "./footprints.ts";

/** Histogram buckets of run times, in seconds (a still image to a long video shot). */
export const DURATION_BUCKETS_S = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;

/** When the job's current attempt was leased (its run started holding the agent). */
export async function leasedAt(deps: AppDeps, jobId: string): Promise<number | null> {
  const [row] = await deps.db.select({ at: jobEvents.at }).from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.toState, "leased")))
    .orderBy(desc(jobEvents.id)).limit(1);
  return row?.at ?? null;
}

/** Prometheus label values: backslash, double quote and newline escaped. */
export const labelValue = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function runStatements(
  deps: AppDeps,
  run: {
    job: Pick<JobRow, "id" | "nodeType" | "tier">;
    agent: Pick<CallingAgent, "maxVramMiB" | "poolId">;
    template: string | undefined;
    peakVramMiB: number | undefined;
    startedAt: number;
    finishedAt: number;
  },
) {
  const { job, agent } = run;
  const runMs = Math.max(0, run.finishedAt - run.startedAt);
  // This batch's own transition: the job's finished_at is the completion's time (the event's
  // `at` is read from the clock separately and may differ by a millisecond).
  const succeededNow = sql`exists (select 1 from jobs d where d.id = ${job.id}
    and d.state = 'succeeded' and d.finished_at = ${run.finishedAt})`;
  const labels = `node_type="${labelValue(job.nodeType)}"`;
  const seconds = runMs / 1000;
  const counts: [name: string, labels: string, value: number][] = [
    ...DURATION_BUCKETS_S.filter((le) => seconds <= le)
      .map((le): [string, string, number] => [
        "md_job_duration_seconds_bucket",
        `${labels},le="${le}"`,
        1,
      ]),
    ["md_job_duration_seconds_bucket", `${labels},le="+Inf"`, 1],
    ["md_job_duration_seconds_sum", labels, seconds],
    ["md_job_duration_seconds_count", labels, 1],
  ];
  const values = sql.join(counts.map(([n, l, v]) => sql`(${n}, ${l}, ${v})`), sql`, `);
  return [
    deps.db.run(sql`insert into ${jobRuns} (job_id, footprint_key, node_type, tier, template,
      gpu_class, pool_id, peak_vram_mib, run_ms, at)
      select ${job.id}, ${footprintKey(job)}, ${job.nodeType},
      ${job.tier}, ${run.template ?? ""}, ${gpuClassOf(agent.maxVramMiB)}, ${agent.poolId},
      ${run.peakVramMiB ?? null}, ${runMs}, ${run.finishedAt} where ${succeededNow}`),
    deps.db.run(sql`insert into ${fleetCounters} (name, labels, value)
      select column1, column2, column3 from (values ${values}) where ${succeededNow}
      on conflict (name, labels) do update set value = value + excluded.value`),
  ] as const;
}
