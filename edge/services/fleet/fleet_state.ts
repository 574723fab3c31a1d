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

/** The state of every pool, or of one (`poolId`). */
export async function readFleetState(deps: AppDeps, poolId?: string): Promise<FleetState> {
  const onePool = poolId === undefined ? "" : "and s.pool_id = ?";
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
      sql: `with ${SERVED}
        select s.pool_id as poolId, j.tier as tier, j.min_vram_mib as minVramMiB,
          j.node_type || ':' || j.tier as key, count(*) as n, min(j.created_at) as oldestAt
        from jobs j join served s on s.project_id = j.project_id
        where j.state = 'queued' ${onePool}
        group by s.pool_id, j.tier, j.min_vram_mib, key`,
      args,
    }),
    deps.db.$client.execute({
      sql: `select a.pool_id as poolId, j.tier as tier, j.min_vram_mib as minVramMiB,
          j.state as state, count(*) as n
        from jobs j join agents a on a.id = j.lease_agent_id
        where j.state in ('leased', 'running') ${oneAgentPool}
        group by a.pool_id, j.tier, j.min_vram_mib, j.state`,
      args,
    }),
    deps.db.$client.execute({
      sql: `select a.pool_id as poolId, a.max_vram_mib as maxVramMiB,
          (select count(*) from jobs h where h.lease_agent_id = a.id
            and h.state in ('leased', 'running')) >= a.concurrency as busy
        from agents a
        where a.revoked_at is null and a.last_seen_at >= ? ${oneAgentPool}`,
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
