/**
 * The fleet as `/metrics` and the scaling answer read it, in four statements: queued jobs per
 * pool that may take them, jobs held per pool, agents online per pool, and the pools. A queued
 * job that several pools may serve counts in each (each pool's autoscaler must see the work it
 * could take).
 *
 * `sizeTier` is the tier of agent a job needs, from its VRAM figure (learned or declared): the
 * smallest card class that holds it (12 GB: low, 16 GB: standard, 24 GB and up: high). A high job
 * whose learned peak fits 16 GB cards is work for standard agents; CPU work counts as low.
 */
import type { Tier } from "../../../protocol/tiers.ts";
import type { AppDeps } from "../../context.ts";
import { OFFLINE_AFTER_INTERVALS } from "../agents.ts";

const GIB = 1024;

/** The tier of card a job needs, by its VRAM figure (as cards are sold: 12, 16, 24 GB). */
export function sizeTierOfJob(minVramMiB: number): Tier {
  return minVramMiB <= 12 * GIB ? "low" : minVramMiB <= 16 * GIB ? "standard" : "high";
}

/** The tier of card an agent is (its largest GPU; below 16 GB, or none: low). */
export function sizeTierOfAgent(maxVramMiB: number): Tier {
  return maxVramMiB >= 23.5 * GIB ? "high" : maxVramMiB >= 15.5 * GIB ? "standard" : "low";
}

/** Pools may serve projects (project_pools.ts), as a relation over every pool at once. */
const SERVED = `served(pool_id, project_id) as (
    select pool_id, project_id from project_pools
    union
    select pm.user_id, pm.project_id from project_members pm
    where pm.role in ('owner', 'editor')
      and not exists (select 1 from project_pools g where g.project_id = pm.project_id)
      and exists (select 1 from pools p where p.id = pm.user_id))`;

export interface QueuedGroup {
  poolId: string;
  tier: Tier;
  sizeTier: Tier;
  /** node type and tier: the footprint key, for learned durations. */
  key: string;
  count: number;
  oldestAt: number;
}

export interface HeldGroup {
  poolId: string;
  tier: Tier;
  sizeTier: Tier;
  state: "leased" | "running";
  count: number;
}

export interface OnlineAgent {
  poolId: string;
  maxVramMiB: number;
  busy: boolean;
}

export interface PoolInfo {
  id: string;
  name: string;
  kind: "studio" | "personal";
}

export interface FleetState {
  pools: PoolInfo[];
  queued: QueuedGroup[];
  held: HeldGroup[];
  online: OnlineAgent[];
}

type Row = Record<string, string | number | null>;

/**
 * The state of every pool, or of one (`poolId`).
 *
 * Jobs are counted in groups first, from an index alone (db/schema/jobs.ts: the queued ones by
 * project, the held ones by agent), and only the groups are joined to pools: joining each job
 * first read every job's row and sorted them, 20 ms for 10,000 queued and as much again for
 * 5,000 held, where the grouped counts take about 1 ms each (bench/fleet, 2026-12-07). The
 * queued index is partial, which SQLite's planner does not choose by itself without table
 * statistics; `indexed by` names it (and fails loudly should it ever be missing).
 */
export async function readFleetState(deps: AppDeps, poolId?: string): Promise<FleetState> {
  const onePool = poolId === undefined ? "" : "where s.pool_id = ?";
  const oneAgentPool = poolId === undefined ? "" : "and a.pool_id = ?";
  const args = poolId === undefined ? [] : [poolId];
  const since = deps.now() - OFFLINE_AFTER_INTERVALS * deps.config.HEARTBEAT_INTERVAL_MS;
  const [pools, queued, held, online] = await Promise.all([
    deps.db.$client.execute({
      sql: `select id, name, studio_id as studioId from pools
        ${poolId === undefined ? "" : "where id = ?"} order by id`,
      args,
    }),
    deps.db.$client.execute({
      sql: `with ${SERVED},
        q as (select project_id, tier, min_vram_mib, node_type, count(*) as n,
            min(created_at) as oldestAt
          from jobs indexed by jobs_queued_groups_idx where state = 'queued'
          group by project_id, tier, min_vram_mib, node_type)
        select s.pool_id as poolId, q.tier as tier, q.min_vram_mib as minVramMiB,
          q.node_type || ':' || q.tier as key, sum(q.n) as n, min(q.oldestAt) as oldestAt
        from q join served s on s.project_id = q.project_id ${onePool}
        group by s.pool_id, q.tier, q.min_vram_mib, key`,
      args,
    }),
    deps.db.$client.execute({
      sql: `with h as (select lease_agent_id, tier, min_vram_mib, state, count(*) as n
          from jobs indexed by jobs_agent_state_idx
          where lease_agent_id in (select a.id from agents a where true ${oneAgentPool})
            and state in ('leased', 'running')
          group by lease_agent_id, tier, min_vram_mib, state)
        select a.pool_id as poolId, h.tier as tier, h.min_vram_mib as minVramMiB,
          h.state as state, sum(h.n) as n
        from h join agents a on a.id = h.lease_agent_id
        group by a.pool_id, h.tier, h.min_vram_mib, h.state`,
      args,
    }),
    deps.db.$client.execute({
      sql: `select a.pool_id as poolId, a.max_vram_mib as maxVramMiB,
          (select count(*) from jobs h where h.lease_agent_id = a.id
            and h.state in ('leased', 'running')) >= a.concurrency as busy
        from agents a
        where a.revoked_at is null and a.last_seen_at >= ? and a.draining_since is null
          ${oneAgentPool}`,
      args: [since, ...args],
    }),
  ]);
  const rows = (r: { rows: unknown[] }) => r.rows as Row[];
  return {
    pools: rows(pools).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      kind: r.studioId ? "studio" : "personal",
    })),
    queued: rows(queued).map((r) => ({
      poolId: String(r.poolId),
      tier: r.tier as Tier,
      sizeTier: sizeTierOfJob(Number(r.minVramMiB)),
      key: String(r.key),
      count: Number(r.n),
      oldestAt: Number(r.oldestAt),
    })),
    held: rows(held).map((r) => ({
      poolId: String(r.poolId),
      tier: r.tier as Tier,
      sizeTier: sizeTierOfJob(Number(r.minVramMiB)),
      state: r.state as "leased" | "running",
      count: Number(r.n),
    })),
    online: rows(online).map((r) => ({
      poolId: String(r.poolId),
      maxVramMiB: Number(r.maxVramMiB),
      busy: Number(r.busy) === 1,
    })),
  };
}
