/**
 * `GET /metrics` in the Prometheus text exposition format (version 0.0.4). Gauges are read from
 * the queue as it is (fleet_state.ts); counters and the duration histogram from `fleet_counters`,
 * which every edge thread and isolate counts into (db/migrations trigger, runs.ts).
 *
 * Written here rather than with prom-client: its registries count in the memory of one process,
 * and our counts live in the database shared by every thread and isolate; the format itself is a
 * few lines per family.
 */
import { fleetCounters } from "../../../db/schema/mod.ts";
import { TIERS } from "../../../protocol/tiers.ts";
import type { AppDeps } from "../../context.ts";
import { gpuClassOf } from "./footprints.ts";
import { readFleetState } from "./fleet_state.ts";
import { DURATION_BUCKETS_S, labelValue } from "./runs.ts";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const COUNTERS: Record<string, string> = {
  md_claims_total: "Jobs leased to an agent of the pool.",
  md_completions_total: "Jobs the pool's agents completed.",
  md_lease_expiries_total:
    "Leases of the pool's agents that expired (the agent stopped reporting).",
  md_dead_lettered_total: "Jobs that ended failed while held by the pool's agents.",
};

export async function renderMetrics(deps: AppDeps): Promise<string> {
  const [state, counters] = await Promise.all([
    readFleetState(deps),
    deps.db.select().from(fleetCounters),
  ]);
  const now = deps.now();
  const out: string[] = [];
  const family = (name: string, type: string, help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const pool = (id: string) => `pool="${labelValue(id)}"`;

  family("md_pool_info", "gauge", "A pool's name and kind (join on pool).");
  for (const p of state.pools) {
    out.push(`md_pool_info{${pool(p.id)},name="${labelValue(p.name)}",kind="${p.kind}"} 1`);
  }

  // Every pool and tier gets a queue line, zero included: autoscalers read absent as unknown.
  const depth = new Map<string, { count: number; oldestAt: number }>();
  for (const q of state.queued) {
    const key = `${pool(q.poolId)},tier="${q.tier}"`;
    const seen = depth.get(key) ?? { count: 0, oldestAt: Infinity };
    depth.set(key, { count: seen.count + q.count, oldestAt: Math.min(seen.oldestAt, q.oldestAt) });
  }
  const everyPoolTier = state.pools.flatMap((p) =>
    TIERS.map((tier) => `${pool(p.id)},tier="${tier}"`)
  );
  family("md_queue_depth", "gauge", "Queued jobs the pool may take, by the job's tier.");
  for (const key of everyPoolTier) out.push(`md_queue_depth{${key}} ${depth.get(key)?.count ?? 0}`);
  family("md_queue_oldest_age_seconds", "gauge", "Age of the oldest queued job the pool may take.");
  for (const key of everyPoolTier) {
    const oldest = depth.get(key)?.oldestAt;
    const age = oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000);
    out.push(`md_queue_oldest_age_seconds{${key}} ${age}`);
  }

  family("md_jobs_active", "gauge", "Jobs held by the pool's agents, leased or running.");
  const active = new Map<string, number>();
  for (const h of state.held) {
    const key = `${pool(h.poolId)},tier="${h.tier}",state="${h.state}"`;
    active.set(key, (active.get(key) ?? 0) + h.count);
  }
  for (const key of everyPoolTier) {
    for (const s of ["leased", "running"]) {
      out.push(`md_jobs_active{${key},state="${s}"} ${active.get(`${key},state="${s}"`) ?? 0}`);
    }
  }

  family("md_agents_online", "gauge", "Agents online, by VRAM class, busy or idle.");
  const agents = new Map<string, number>();
  for (const a of state.online) {
    const key = `${pool(a.poolId)},vram_class="${gpuClassOf(a.maxVramMiB)}",state="${
      a.busy ? "busy" : "idle"
    }"`;
    agents.set(key, (agents.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...agents].sort()) out.push(`md_agents_online{${key}} ${n}`);

  for (const [name, help] of Object.entries(COUNTERS)) {
    family(name, "counter", help);
    for (const c of counters.filter((c) => c.name === name).sort(byLabels)) {
      out.push(`${name}{${c.labels}} ${c.value}`);
    }
  }
  family(
    "md_pool_last_work_timestamp_seconds",
    "gauge",
    "When an agent of the pool last took or ended a job.",
  );
  for (const c of counters.filter((c) => c.name === "md_pool_last_work_timestamp_seconds")) {
    out.push(`md_pool_last_work_timestamp_seconds{${c.labels}} ${c.value}`);
  }

  family("md_job_duration_seconds", "histogram", "How long a job held its agent, lease to done.");
  const histogram = counters.filter((c) => c.name.startsWith("md_job_duration_seconds_"));
  const series = [
    ...new Set(histogram.filter((c) => c.name.endsWith("_count")).map((c) => c.labels)),
  ];
  for (const labels of series.sort()) {
    const value = (name: string, extra = "") =>
      histogram.find((c) => c.name === name && c.labels === `${labels}${extra}`)?.value ?? 0;
    for (const le of [...DURATION_BUCKETS_S, "+Inf"]) {
      const n = value("md_job_duration_seconds_bucket", `,le="${le}"`);
      out.push(`md_job_duration_seconds_bucket{${labels},le="${le}"} ${n}`);
    }
    out.push(`md_job_duration_seconds_sum{${labels}} ${value("md_job_duration_seconds_sum")}`);
    out.push(`md_job_duration_seconds_count{${labels}} ${value("md_job_duration_seconds_count")}`);
  }
  return out.join("\n") + "\n";
}

const byLabels = (a: { labels: string }, b: { labels: string }) =>
  a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0;
