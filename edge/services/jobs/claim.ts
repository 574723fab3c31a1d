/**
 * The claim: one UPDATE that picks the best queued job the agent can run and leases it to the
 * agent, so under any concurrency (requests in this process, other edge instances on the same
 * database) no job is ever leased twice. The rules, all in the statement:
 * - the project is live and the agent's owner is its owner or editor;
 * - one of the job's candidate backends is healthy on the agent;
 * - the agent's largest GPU has at least the job's minimum VRAM;
 * - the agent has every model the job needs;
 * - the agent holds fewer leases than its concurrency, and is not revoked;
 * then by priority (high first) and age (old first).
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { agents, jobs, projectMembers, projects, takes } from "../../../db/schema/mod.ts";
import type { ClaimedJob } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import type { AgentRow } from "../agents.ts";
import { takeKey } from "./takes.ts";
import type { JobRow } from "./transitions.ts";

/** Only what the agent is sent: reading whole rows back costs more than the claim itself. */
const CLAIMED_COLUMNS = {
  id: jobs.id,
  projectId: jobs.projectId,
  nodeId: jobs.nodeId,
  nodeType: jobs.nodeType,
  tier: jobs.tier,
  params: jobs.params,
  inputs: jobs.inputs,
  backends: jobs.backends,
  minVramMiB: jobs.minVramMiB,
  models: jobs.models,
  attempt: jobs.attempt,
  maxAttempts: jobs.maxAttempts,
  leaseExpiresAt: jobs.leaseExpiresAt,
};
type ClaimedRow = Pick<JobRow, keyof typeof CLAIMED_COLUMNS>;

export async function claimJob(deps: AppDeps, agent: AgentRow): Promise<ClaimedJob | null> {
  const now = deps.now();
  const leaseToken = crypto.randomUUID();
  const backendsJson = JSON.stringify(agent.healthyBackends);
  const modelsJson = JSON.stringify(agent.models);
  const pick = deps.db.select({ id: jobs.id }).from(jobs)
    .innerJoin(projects, and(eq(projects.id, jobs.projectId), isNull(projects.deletedAt)))
    .where(and(
      eq(jobs.state, "queued"),
      sql`${jobs.minVramMiB} <= ${agent.maxVramMiB}`,
      sql`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${jobs.projectId}
        and ${projectMembers.userId} = ${agent.ownerId} and ${projectMembers.role} in ('owner', 'editor'))`,
      sql`exists (select 1 from json_each(${jobs.backends}) as b
        where b.value in (select value from json_each(${backendsJson})))`,
      sql`not exists (select 1 from json_each(${jobs.models}) as m
        where m.value not in (select value from json_each(${modelsJson})))`,
    ))
    .orderBy(desc(jobs.priority), asc(jobs.createdAt))
    .limit(1);
  const held = sql`(select count(*) from ${jobs} as held where held.lease_agent_id = ${agent.id}
    and held.state in ('leased', 'running'))`;
  const [[job]] = await deps.db.batch([
    deps.db.update(jobs).set({
      state: "leased",
      attempt: sql`${jobs.attempt} + 1`,
      leaseAgentId: agent.id,
      leaseExpiresAt: now + deps.config.LEASE_MS,
      leaseToken,
      progress: null,
      error: null,
      updatedAt: now,
      startedAt: sql`coalesce(${jobs.startedAt}, ${now})`,
    }).where(and(
      // `id = (…)` makes SQLite find the row by primary key; the subquery already requires
      // `queued`, and one statement sees one snapshot, so repeating it here would only make the
      // planner walk every queued job.
      sql`${jobs.id} = (${pick})`,
      sql`${held} < ${agent.concurrency}`,
      sql`exists (select 1 from ${agents} where ${agents.id} = ${agent.id} and ${agents.revokedAt} is null)`,
    )).returning(CLAIMED_COLUMNS),
    // Same transaction: the event of the row just leased, found by its fresh lease token.
    deps.db.run(
      sql`insert into job_events (job_id, from_state, to_state, attempt, agent_id, actor, message, at)
      select id, 'queued', 'leased', attempt, ${agent.id}, ${`agent:${agent.id}`}, ${`leased to ${agent.name}`}, ${now}
      from ${jobs} where lease_token = ${leaseToken}`,
    ),
  ]);
  return job ? await toClaimedJob(deps, job) : null;
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
