/**
 * A queued job's ETA: the jobs ahead of it that the same agents would take first, in rounds over
 * those agents, times the run time learned for its kind of job on their GPU classes
 * ("~4 min: 2 ahead on 2 agents with 24 GB"). Plus half a run when every one of them is busy
 * now (on average, the running jobs are half done). Ahead counts queued jobs of higher
 * priority or older, in projects those agents' pools serve, that fit their largest GPU: the
 * claim's order, without its backend and model checks (an estimate, said with a "~").
 */
import type { QueueEta } from "../../../protocol/fleet.ts";
import type { AppDeps } from "../../context.ts";
import { type AgentCapability, gb, misfit } from "../jobs/matching.ts";
import type { JobRow } from "../jobs/transitions.ts";
import { durationOn, footprintKey, gpuClassOf, learnedDurations } from "./footprints.ts";
import { projectServedBy } from "./project_pools.ts";

type QueuedJob = Pick<
  JobRow,
  | "id"
  | "nodeType"
  | "tier"
  | "priority"
  | "createdAt"
  | "backends"
  | "minVramMiB"
  | "models"
  | "state"
>;

export async function queueEtas(
  deps: AppDeps,
  queued: readonly QueuedJob[],
  online: readonly AgentCapability[],
): Promise<Map<string, QueueEta>> {
  const etas = new Map<string, QueueEta>();
  const waiting = queued.filter((j) => j.state === "queued");
  if (waiting.length === 0 || online.length === 0) return etas;
  const durations = await learnedDurations(deps, [...new Set(waiting.map(footprintKey))]);
  for (const job of waiting) {
    const req = { backends: job.backends, minVramMiB: job.minVramMiB, models: job.models };
    const able = online.filter((a) =>
      misfit(a, req, { nodeType: job.nodeType, tier: job.tier }) === null
    );
    if (able.length === 0) continue;
    const ahead = await jobsAhead(deps, job, able);
    const ms = durationOn(
      durations.get(footprintKey(job)),
      able.map((a) => gpuClassOf(a.maxVramMiB)),
    );
    const allBusy = able.every((a) => a.busy);
    const seconds = ms === null
      ? null
      : Math.round((Math.ceil((ahead + 1) / able.length) * ms + (allBusy ? ms / 2 : 0)) / 1000);
    const where = `${ahead} ahead on ${able.length} agent${able.length === 1 ? "" : "s"} ${
      sizes(able)
    }`;
    etas.set(job.id, {
      seconds,
      ahead,
      agents: able.length,
      text: seconds === null
        ? `${where}; no run time learned yet`
        : `~${roughly(seconds)}: ${where}`,
    });
  }
  return etas;
}

async function jobsAhead(
  deps: AppDeps,
  job: QueuedJob,
  able: readonly AgentCapability[],
): Promise<number> {
  const pools = [...new Set(able.flatMap((a) => a.pool ? [a.pool.id] : []))];
  if (pools.length === 0) return 0;
  const largest = Math.max(...able.map((a) => a.maxVramMiB));
  const result = await deps.db.$client.execute({
    sql: `select count(*) as n from jobs q
      where q.state = 'queued' and q.id <> ?
        and (q.priority > ? or (q.priority = ? and q.created_at < ?))
        and q.min_vram_mib <= ?
        and (${pools.map(() => projectServedBy("q.project_id", "?")).join(" or ")})`,
    args: [
      job.id,
      job.priority,
      job.priority,
      job.createdAt,
      largest,
      ...pools.flatMap((id) => [id, id]),
    ],
  });
  return Number((result.rows[0] as unknown as { n: number }).n);
}

/** "with 24 GB", "with 16–24 GB", "without a GPU". */
function sizes(agents: readonly AgentCapability[]): string {
  const gbs = [...new Set(agents.map((a) => Math.round(a.maxVramMiB / 1024)))].sort((a, b) =>
    a - b
  );
  if (gbs.length === 1 && gbs[0] === 0) return "without a GPU";
  const low = gbs.find((g) => g > 0) ?? 0;
  const high = gbs.at(-1)!;
  return low === high ? `with ${gb(high * 1024)}` : `with ${low}–${high} GB`;
}

/** "45 s", "4 min", "2 h". */
export function roughly(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
