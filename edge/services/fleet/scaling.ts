/**
 * The desired agent count of a pool, per tier of agent (fleet_state.ts `sizeTier`), which is
 * what an autoscaler reads (`GET /api/pools/:id/scaling`, deploy/keda/scaledobject.yaml):
 *
 *   desired = running + ceil(Σ queued × learned run time ÷ target wait) + queued with no run
 *             time learned yet (one agent each)
 *
 * kept at least at the agents online while the pool had work within its scale-down idle time
 * (so a burst's agents are not stopped between two jobs, nor while its last jobs run; a
 * draining agent is not online: fleet_state.ts), and bounded by the pool's min and max (each
 * tier's deployment has them). The reason says all of it in words.
 */
import { sql } from "drizzle-orm";
import type { PoolPolicy, ScalingAnswer, TierScaling } from "../../../protocol/fleet.ts";
import { type Tier, TIERS } from "../../../protocol/tiers.ts";
import type { AppDeps } from "../../context.ts";
import { durationOn, gpuClassOf, learnedDurations } from "./footprints.ts";
import { type FleetState, readFleetState, sizeTierOfAgent } from "./fleet_state.ts";
import { policyOf, type PoolRow } from "./pools.ts";

export async function poolScaling(deps: AppDeps, pool: PoolRow): Promise<ScalingAnswer> {
  const state = await readFleetState(deps, pool.id);
  const [durations, lastWorkAt] = await Promise.all([
    learnedDurations(deps, [...new Set(state.queued.map((q) => q.key))]),
    lastWork(deps, pool.id),
  ]);
  return desiredAgents(pool, policyOf(pool), state, durations, lastWorkAt, deps.now());
}

/** When the pool last had a job leased or ended (ms), from the counters' trigger; null: never. */
async function lastWork(deps: AppDeps, poolId: string): Promise<number | null> {
  const [row] = await deps.db.all<{ at: number | null }>(sql`
    select max(value) * 1000 as at from fleet_counters
    where name = 'md_pool_last_work_timestamp_seconds' and labels like ${`pool="${poolId}",%`}`);
  return row?.at ?? null;
}

/** The pure part: from the pool's state, learned run times and policy. */
export function desiredAgents(
  pool: Pick<PoolRow, "id" | "name">,
  policy: PoolPolicy,
  state: FleetState,
  durations: Map<string, Map<string, number>>,
  lastWorkAt: number | null,
  now: number,
): ScalingAnswer {
  const idleMs = lastWorkAt === null ? Infinity : now - lastWorkAt;
  const tiers = Object.fromEntries(TIERS.map((tier) => {
    const agents = state.online.filter((a) => sizeTierOfAgent(a.maxVramMiB) === tier);
    const classes = agents.map((a) => gpuClassOf(a.maxVramMiB));
    const queued = state.queued.filter((q) => q.sizeTier === tier);
    const running = state.held.filter((h) => h.sizeTier === tier)
      .reduce((n, h) => n + h.count, 0);
    let workMs = 0;
    let known = 0;
    let unknown = 0;
    for (const group of queued) {
      const ms = durationOn(durations.get(group.key), classes);
      if (ms === null) unknown += group.count;
      else {
        workMs += group.count * ms;
        known += group.count;
      }
    }
    const busy = agents.filter((a) => a.busy).length;
    const online = { online: agents.length, busy, idle: agents.length - busy };
    const answer = desiredForTier(policy, {
      running,
      known,
      unknown,
      workMs,
      online: agents.length,
      idleMs,
    });
    const scaling: TierScaling = {
      desired: answer.desired,
      queued: known + unknown,
      running,
      agents: online,
      durationS: known > 0 ? Math.round(workMs / known / 1000) : null,
      reason: answer.reason,
    };
    return [tier, scaling];
  })) as Record<Tier, TierScaling>;
  return {
    pool: { id: pool.id, name: pool.name },
    policy,
    at: now,
    desired: TIERS.reduce((n, t) => n + tiers[t].desired, 0),
    tiers,
  };
}

function desiredForTier(
  policy: PoolPolicy,
  s: {
    running: number;
    known: number;
    unknown: number;
    workMs: number;
    online: number;
    idleMs: number;
  },
): { desired: number; reason: string } {
  const parts: string[] = [];
  let want = s.running;
  if (s.known > 0) {
    const forQueue = Math.ceil(s.workMs / (policy.targetWaitS * 1000));
    const each = Math.round(s.workMs / s.known / 1000);
    parts.push(
      `${s.known} queued × ~${each} s over a ${policy.targetWaitS} s target wait → ${forQueue}`,
    );
    want += forQueue;
  }
  if (s.unknown > 0) {
    parts.push(`${s.unknown} queued with no run time learned yet (one agent each)`);
    want += s.unknown;
  }
  if (s.running > 0) parts.push(`${s.running} running`);
  const holdMs = policy.scaleDownIdleS * 1000;
  const held = s.idleMs < holdMs;
  if (s.known + s.unknown + s.running === 0) {
    parts.push(
      `nothing queued or running${
        Number.isFinite(s.idleMs) && !held ? ` for ${policy.scaleDownIdleS} s or more` : ""
      }`,
    );
  }
  // Also while the last jobs run: were the count to fall to the jobs running, an autoscaler
  // would stop agents (perhaps a busy one, which drains) and start new ones when the count rose
  // back to the agents online as those jobs ended, all within the idle time.
  if (held && s.online > want) {
    want = s.online;
    parts.push(
      `keeping the ${s.online} online until ${policy.scaleDownIdleS} s after the last work (${
        Math.round(s.idleMs / 1000)
      } s ago)`,
    );
  }
  let desired = want;
  if (desired > policy.maxAgents) {
    desired = policy.maxAgents;
    parts.push(`capped at the pool's maximum of ${policy.maxAgents}`);
  } else if (desired < policy.minAgents) {
    desired = policy.minAgents;
    parts.push(`the pool's minimum is ${policy.minAgents}`);
  }
  return { desired, reason: `${parts.join("; ")}: ${desired}` };
}
