/**
 * The claim: one UPDATE that picks the best queued job the agent can run and leases it to the
 * agent, so under any concurrency (requests in this process, other edge instances on the same
 * database) no job is ever leased twice. The rules, all in the statement:
 * - the project is live and the agent's owner is its owner or editor;
 * - one of the job's candidate backends is healthy on the agent;
 * - the agent's largest GPU has at least the job's minimum VRAM;
 * - the agent has every model the job needs;
 * - the agent holds fewer leases than its concurrency, and is not revoked;
 * then by priority (high first) and age (old first). The `job_claim_event` trigger
 * (db/migrations/0003) records the event in the same statement.
 */
import { inArray } from "drizzle-orm";
import { takes } from "../../../db/schema/mod.ts";
import type { ClaimedJob } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import type { CallingAgent } from "../agents.ts";
import { takeKey } from "./takes.ts";
import type { JobRow } from "./transitions.ts";

/**
 * Every agent poll runs this, so it is one hand-written statement on the raw client (drizzle's
 * query building cost more than the claim), and it hands back one JSON column: the client
 * builds each returned row column by column, which for a dozen columns cost more than the
 * UPDATE. `id = (…)` makes SQLite find the row by primary key; the subquery already requires
 * `queued`, and one statement sees one snapshot.
 */
const CLAIM_SQL = `
  update jobs set state = 'leased', attempt = attempt + 1, lease_agent_id = ?1,
    lease_expires_at = ?2, progress = null, error = null, updated_at = ?3,
    started_at = coalesce(started_at, ?3)
  where id = (
      select j.id from jobs j
      join projects p on p.id = j.project_id and p.deleted_at is null
      where j.state = 'queued' and j.min_vram_mib <= ?4
        and exists (select 1 from project_members pm where pm.project_id = j.project_id
          and pm.user_id = ?5 and pm.role in ('owner', 'editor'))
        and exists (select 1 from json_each(j.backends) b
          where b.value in (select value from json_each(?6)))
        and not exists (select 1 from json_each(j.models) m
          where m.value not in (select value from json_each(?7)))
      order by j.priority desc, j.created_at
      limit 1)
    and (select count(*) from jobs held
      where held.lease_agent_id = ?1 and held.state in ('leased', 'running')) < ?8
    and exists (select 1 from agents a where a.id = ?1 and a.revoked_at is null)
  returning json_object('id', id, 'projectId', project_id, 'nodeId', node_id,
    'nodeType', node_type, 'tier', tier, 'params', json(params), 'inputs', json(inputs),
    'backends', json(backends), 'minVramMiB', min_vram_mib, 'models', json(models),
    'attempt', attempt, 'maxAttempts', max_attempts, 'leaseExpiresAt', lease_expires_at) as job`;

/** Only what the agent is sent. */
type ClaimedRow = Pick<
  JobRow,
  | "id"
  | "projectId"
  | "nodeId"
  | "nodeType"
  | "tier"
  | "params"
  | "inputs"
  | "backends"
  | "minVramMiB"
  | "models"
  | "attempt"
  | "maxAttempts"
  | "leaseExpiresAt"
>;

export async function claimJob(deps: AppDeps, agent: CallingAgent): Promise<ClaimedJob | null> {
  const now = deps.now();
  const result = await deps.db.$client.execute({
    sql: CLAIM_SQL,
    args: [
      agent.id,
      now + deps.config.LEASE_MS,
      now,
      agent.maxVramMiB,
      agent.ownerId,
      JSON.stringify(agent.healthyBackends),
      JSON.stringify(agent.models),
      agent.concurrency,
    ],
  });
  const json = result.rows[0]?.job;
  return typeof json === "string" ? await toClaimedJob(deps, JSON.parse(json)) : null;
}

/** The job as the agent receives it, inputs as signed URLs that outlive the lease. */
export async function toClaimedJob(deps: AppDeps, job: ClaimedRow): Promise<ClaimedJob> {
  const inputTakes = job.inputs.length === 0 ? [] : await deps.db.select().from(takes)
    .where(inArray(takes.id, job.inputs.map((i) => i.takeId)));
  const inputs = await Promise.all(job.inputs.flatMap((input) => {
    const take = inputTakes.find((t) => t.id === input.takeId);
    if (!take) return [];
    return [(async () => ({
      socket: input.socket,
      takeId: take.id,
      contentType: take.contentType,
      url: await deps.storage.presignGet(takeKey(take), {
        expiresInS: deps.config.DOWNLOAD_URL_TTL_S,
      }),
    }))()];
  }));
  return {
    id: job.id,
    projectId: job.projectId,
    nodeId: job.nodeId,
    nodeType: job.nodeType,
    tier: job.tier,
    params: job.params,
    inputs,
    requirements: { backends: job.backends, minVramMiB: job.minVramMiB, models: job.models },
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    leaseExpiresAt: job.leaseExpiresAt!,
    leaseMs: deps.config.LEASE_MS,
  };
}
