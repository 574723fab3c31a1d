/**
 * The claim statement, for a group of agents with the same capabilities (same pool, largest
 * GPU, healthy backends and models) that claim at the same moment: one UPDATE leases the best
 * queued jobs they can run, the best to the agent that asked first. Whatever the concurrency
 * (requests in this process, other edge instances on the same database) no job is ever leased
 * twice: one statement sees one snapshot and writes each job row once. The rules, all here:
 * - the project is live and the agents' pool may serve it (projectServedBy, project_pools.ts):
 *   chosen for it, or, for a project that chose none, the personal pool of an owner or editor;
 * - one of the job's candidate backends is healthy on the agent;
 * - the agent advertises the job's (node type, tier) pair as runnable now (for a job that runs
 *   a workflow asset: that its ComfyUI runs workflow assets, `WORKFLOW_WORK`; for one that runs
 *   a model config asset: that its Docker backend runs them, `MODEL_CONFIG_WORK`);
 * - the agent's largest GPU has at least the job's minimum VRAM;
 * - the agent has every model the job needs;
 * - none of the agents handed the job back as `cannotRun` with the capabilities they have now;
 * - the agent holds fewer leases than its concurrency, and is not revoked;
 * then by priority (high first) and age (old first). The `job_claim_event` trigger
 * (db/migrations/0003) records each lease's event in the same statement.
 *
 * It is hand-written SQL on the raw client: drizzle's query building cost more than the claim
 * itself (measured 2026-11-21); the statement hands back one JSON column per job because the
 * client builds returned rows column by column, which for a dozen columns cost more than the
 * UPDATE.
 */
import type { CallingAgent } from "../agents.ts";
import { projectServedBy } from "../fleet/project_pools.ts";
import { MODEL_CONFIG_WORK, WORKFLOW_WORK } from "./matching.ts";

/** One claim request in a group; an agent appears at most once per group. */
export interface ClaimSlot {
  agentId: string;
  concurrency: number;
}

/** What the agents of a group share, and so what the jobs are matched on. */
export type Capability = Pick<
  CallingAgent,
  "poolId" | "maxVramMiB" | "healthyBackends" | "models" | "runnable" | "capabilityHash"
>;

/** Groups claims that can share a statement (the hash covers every derived column). */
export function capabilityKey(agent: Capability): string {
  return JSON.stringify([agent.poolId, agent.capabilityHash]);
}

export function claimStatement(
  capability: Capability,
  slots: ClaimSlot[],
  lease: { now: number; expiresAt: number },
): { sql: string; args: Array<string | number> } {
  // `slot` numbers the agents that may take one more lease, in the order they asked; `pick`
  // numbers the best fitting jobs; rank n goes to agent n. `limit` before numbering keeps the
  // walk to as many queued jobs as there are agents.
  const sql = `
  with slot(rank, agent_id) as (
    select row_number() over (order by v.column1), v.column2
    from (values ${slots.map((_, i) => `(${i}, ?, ?)`).join(", ")}) v
    where (select count(*) from jobs held
        where held.lease_agent_id = v.column2 and held.state in ('leased', 'running')) < v.column3
      and exists (select 1 from agents a where a.id = v.column2 and a.revoked_at is null)),
  pick(rank, id) as (
    select row_number() over (order by c.priority desc, c.created_at), c.id from (
      select j.id, j.priority, j.created_at from jobs j
      join projects p on p.id = j.project_id and p.deleted_at is null
      where j.state = 'queued' and j.min_vram_mib <= ?
        and ${projectServedBy("j.project_id", "?")}
        and exists (select 1 from json_each(j.backends) b
          where b.value in (select value from json_each(?)))
        and not exists (select 1 from json_each(j.models) m
          where m.value not in (select value from json_each(?)))
        and (case when j.workflow is not null then '${WORKFLOW_WORK}'
          when j.model_config is not null then '${MODEL_CONFIG_WORK}'
          else j.node_type || ':' || j.tier end) in (select value from json_each(?))
        and not exists (select 1 from job_refusals r where r.job_id = j.id
          and r.capability_hash = ? and r.agent_id in (select agent_id from slot))
      order by j.priority desc, j.created_at
      limit ?) c)
  update jobs set state = 'leased', attempt = attempt + 1, lease_agent_id = slot.agent_id,
    lease_expires_at = ?, progress = null, error = null, updated_at = ?,
    started_at = coalesce(started_at, ?)
  from pick join slot using (rank)
  where jobs.id = pick.id
  returning json_object('agentId', lease_agent_id, 'id', id, 'projectId', project_id,
    'nodeId', node_id, 'nodeType', node_type, 'tier', tier, 'params', json(params),
    'inputs', json(inputs), 'workflow', json(workflow), 'modelConfig', json(model_config),
    'backends', json(backends),
    'minVramMiB', min_vram_mib,
    'models', json(models), 'attempt', attempt, 'maxAttempts', max_attempts,
    'leaseExpiresAt', lease_expires_at) as job`;
  return {
    sql,
    args: [
      ...slots.flatMap((s) => [s.agentId, s.concurrency]),
      capability.maxVramMiB,
      // projectServedBy names the pool twice.
      capability.poolId,
      capability.poolId,
      JSON.stringify(capability.healthyBackends),
      JSON.stringify(capability.models),
      JSON.stringify(capability.runnable),
      capability.capabilityHash,
      slots.length,
      lease.expiresAt,
      lease.now,
      lease.now,
    ],
  };
}
