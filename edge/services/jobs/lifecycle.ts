/**
 * What happens to a job after it is claimed, short of completion (complete.ts): progress that
 * keeps the lease alive, failure, graceful release, and the user's cancel and retry. Agent
 * calls match on `lease_agent_id`, so an agent that lost its lease changes nothing and is told
 * so with 409 `lease_lost`.
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { jobEvents, jobPreviews, jobRefusals, jobs } from "../../../db/schema/mod.ts";
import {
  AGENT_ERROR_CODES,
  type failRequestSchema,
  type jobEventRequestSchema,
} from "../../../protocol/jobs.ts";
import type { EdgeEvent, JobEvent } from "../../../protocol/canvas.ts";
import type { z } from "zod";
import type { AppDeps } from "../../context.ts";
import { ApiError, conflict, notFound } from "../../errors.ts";
import type { CallingAgent } from "../agents.ts";
import { withBackendChoice } from "./rationale.ts";
import { type JobRow, transitionJobs, transitionStatements } from "./transitions.ts";

const ACTIVE = ["leased", "running"] as const;
const clearedLease = { leaseAgentId: null, leaseExpiresAt: null } as const;

export function leaseLost(detail: string): ApiError {
  return new ApiError(
    409,
    AGENT_ERROR_CODES.leaseLost,
    `this agent no longer holds the job: ${detail}; stop working on it`,
  );
}

function heldBy(agent: CallingAgent, jobId: string): SQL {
  return and(
    eq(jobs.id, jobId),
    eq(jobs.leaseAgentId, agent.id),
    inArray(jobs.state, [...ACTIVE]),
  )!;
}

/** Why an agent's call on a job it does not hold is refused. */
export async function explainLost(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
): Promise<ApiError> {
  const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  // A job this agent never held is none of its business: same answer as no job at all.
  const [held] = await deps.db.select({ id: jobEvents.id }).from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.agentId, agent.id))).limit(1);
  if (!job || !held) return notFound("job");
  if (job.leaseAgentId !== agent.id) {
    return leaseLost("the lease expired or was given to another agent");
  }
  return leaseLost(`the job is ${job.state}`);
}

/** The job, when this agent holds its lease; otherwise 409 `lease_lost` (404 if unknown). */
export async function heldJob(deps: AppDeps, agent: CallingAgent, jobId: string): Promise<JobRow> {
  const [job] = await deps.db.select().from(jobs).where(heldBy(agent, jobId)).limit(1);
  if (!job) throw await explainLost(deps, agent, jobId);
  return job;
}

export function notifyJob(
  deps: AppDeps,
  job: Pick<JobRow, "projectId">,
  event: Extract<EdgeEvent, { type: JobEvent["type"] }>,
): void {
  deps.notifier.notify(job.projectId, event);
}

/**
 * Records progress and extends the lease (the first event also marks the job running).
 * Returns whether the user canceled the job, so the agent can stop.
 */
export async function reportProgress(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
  event: z.output<typeof jobEventRequestSchema>,
): Promise<{ canceled: boolean; leaseExpiresAt: number }> {
  const now = deps.now();
  const leaseExpiresAt = now + deps.config.LEASE_MS;
  const progress = {
    percent: event.percent,
    message: event.message,
    ...(event.step ? { step: event.step } : {}),
    ...(event.etaSeconds !== undefined ? { etaSeconds: event.etaSeconds } : {}),
    at: now,
  };
  const set: Partial<JobRow> = { leaseExpiresAt, progress, updatedAt: now };
  if (event.rationale) {
    // Once per attempt: the agent's choice of backend, after the tier's own rationale.
    const [row] = await deps.db.select({ rationale: jobs.rationale }).from(jobs)
      .where(eq(jobs.id, jobId));
    if (row) set.rationale = withBackendChoice(row.rationale, event.rationale);
  }
  let [job] = await deps.db.update(jobs).set(set)
    .where(and(eq(jobs.id, jobId), eq(jobs.leaseAgentId, agent.id), eq(jobs.state, "running")))
    .returning();
  if (!job) {
    [job] = await transitionJobs(deps, {
      where: and(eq(jobs.id, jobId), eq(jobs.leaseAgentId, agent.id), eq(jobs.state, "leased"))!,
      to: "running",
      set,
      actor: `agent:${agent.id}`,
      message: `running on ${agent.name}`,
    });
  }
  if (!job) {
    const [canceled] = await deps.db.select({ id: jobs.id }).from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.leaseAgentId, agent.id), eq(jobs.state, "canceled")));
    if (canceled) return { canceled: true, leaseExpiresAt: now };
    throw await explainLost(deps, agent, jobId);
  }
  if (event.preview) {
    const preview = {
      contentType: event.preview.contentType,
      base64: event.preview.base64,
      at: now,
    };
    await deps.db.insert(jobPreviews).values({ jobId, ...preview })
      .onConflictDoUpdate({ target: jobPreviews.jobId, set: preview });
  }
  notifyJob(deps, job, {
    type: "progress.update",
    nodeId: job.nodeId,
    taskId: job.id,
    percent: event.percent,
    message: event.message,
    ...(event.etaSeconds !== undefined ? { eta: event.etaSeconds } : {}),
    // Everyone watching sees a downgrade for as long as the run shows, not only while queued.
    ...(job.rationale ? { rationale: job.rationale } : {}),
    ...(event.preview ? { previewAt: now } : {}),
  });
  return { canceled: false, leaseExpiresAt };
}

/**
 * The agent gave up on the job. Retriable failures go back to the queue while attempts remain;
 * the rest, and the last attempt, fail the job with the reason kept.
 */
export async function failJob(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
  failure: z.output<typeof failRequestSchema>,
): Promise<JobRow> {
  if (failure.infrastructure) return await backendFailed(deps, agent, jobId, failure.reason);
  const now = deps.now();
  const again = failure.retriable ? sql`${jobs.attempt} < ${jobs.maxAttempts}` : sql`0`;
  const finalError = sql`case when ${jobs.attempt} > 1
    then 'failed after ' || ${jobs.attempt} || ' attempts: ' || ${failure.reason} else ${failure.reason} end`;
  const [job] = await transitionJobs(deps, {
    where: heldBy(agent, jobId),
    to: sql`case when ${again} then 'queued' else 'failed' end`,
    set: {
      ...clearedLease,
      error: sql`case when ${again} then ${failure.reason} else ${finalError} end`,
      finishedAt: sql`case when ${again} then null else ${now} end`,
    },
    actor: `agent:${agent.id}`,
    message: failure.retriable
      ? `failed (retriable): ${failure.reason}`
      : `failed: ${failure.reason}`,
  });
  if (!job) throw await explainLost(deps, agent, jobId);
  afterReturnOrFail(deps, job);
  return job;
}

/**
 * The agent's backend went away or restarted during the run: not the job's fault, so it goes
 * back to the queue with its attempt refunded. Such runs are counted apart, and the one that
 * reaches JOB_MAX_INFRA_FAILURES fails the job, so one that kills its backend every time ends.
 */
async function backendFailed(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
  reason: string,
): Promise<JobRow> {
  const now = deps.now();
  const max = deps.config.JOB_MAX_INFRA_FAILURES;
  const again = sql`${jobs.infraFailures} + 1 < ${max}`;
  const finalError =
    `failed: the backend went away during ${max} runs of this job (last: ${reason})`;
  const [job] = await transitionJobs(deps, {
    where: heldBy(agent, jobId),
    to: sql`case when ${again} then 'queued' else 'failed' end`,
    attempt: sql`case when ${again} then max(${jobs.attempt} - 1, 0) else ${jobs.attempt} end`,
    set: {
      ...clearedLease,
      infraFailures: sql`${jobs.infraFailures} + 1`,
      progress: sql`case when ${again} then null else ${jobs.progress} end`,
      error: sql`case when ${again} then ${reason} else ${finalError} end`,
      finishedAt: sql`case when ${again} then null else ${now} end`,
    },
    actor: `agent:${agent.id}`,
    message: sql`case when ${again}
      then ${`backend went away on ${agent.name} (no attempt spent): ${reason}`}
      else ${finalError} end`,
  });
  if (!job) throw await explainLost(deps, agent, jobId);
  afterReturnOrFail(deps, job);
  return job;
}

/**
 * The agent hands the job back untouched (shutting down): queued again, attempt refunded. With
 * `cannotRun` the agent found it cannot run the job after all: it is not offered to that agent
 * again while the agent advertises what it does now (the refusal and the release commit together).
 */
export async function releaseJob(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
  reason: string,
  options: { cannotRun?: boolean } = {},
): Promise<JobRow> {
  const transition = transitionStatements(deps, {
    where: heldBy(agent, jobId),
    to: "queued",
    attempt: sql`max(${jobs.attempt} - 1, 0)`,
    set: { ...clearedLease, progress: null },
    actor: `agent:${agent.id}`,
    message: options.cannotRun
      ? `handed back by ${agent.name}, which cannot run it: ${reason}`
      : `released by ${agent.name}: ${reason}`,
  });
  let job: JobRow | undefined;
  if (options.cannotRun) {
    const refusal = {
      capabilityHash: agent.capabilityHash,
      reason: reason.slice(0, 1000),
      at: deps.now(),
    };
    // Written only when this agent holds the job: a stale call refuses nothing.
    const refuse = deps.db.insert(jobRefusals)
      .select(
        deps.db.select({
          jobId: jobs.id,
          agentId: sql`${agent.id}`.as("agent_id"),
          capabilityHash: sql`${refusal.capabilityHash}`.as("capability_hash"),
          reason: sql`${refusal.reason}`.as("reason"),
          at: sql`${refusal.at}`.as("at"),
        }).from(jobs).where(heldBy(agent, jobId)),
      )
      .onConflictDoUpdate({ target: [jobRefusals.jobId, jobRefusals.agentId], set: refusal });
    [, , [job]] = await deps.db.batch([refuse, ...transition]);
  } else {
    [, [job]] = await deps.db.batch(transition);
  }
  if (!job) throw await explainLost(deps, agent, jobId);
  deps.dispatcher.wake();
  return job;
}

/** Wakes claims for a job that went back to the queue; tells the room about one that failed. */
export function afterReturnOrFail(deps: AppDeps, job: JobRow): void {
  if (job.state === "queued") deps.dispatcher.wake();
  if (job.state === "failed") {
    notifyJob(deps, job, {
      type: "error.occurred",
      nodeId: job.nodeId,
      taskId: job.id,
      message: job.error ?? "failed",
      state: "failed",
    });
  }
}

/**
 * Cancels a job that has not finished. A running job keeps its agent on record, so the agent's
 * next event is answered `canceled: true` and it interrupts the backend.
 */
export async function cancelJob(
  deps: AppDeps,
  projectId: string,
  jobId: string,
  user: { id: string; name: string },
): Promise<JobRow> {
  const [job] = await transitionJobs(deps, {
    where: and(
      eq(jobs.id, jobId),
      eq(jobs.projectId, projectId),
      inArray(jobs.state, ["queued", ...ACTIVE]),
    )!,
    to: "canceled",
    set: {
      finishedAt: deps.now(),
      leaseExpiresAt: null,
      error: `canceled by ${user.name}`,
    },
    actor: `user:${user.id}`,
    message: `canceled by ${user.name}`,
  });
  if (!job) {
    // Canceling twice is harmless: the second call finds it canceled and says so.
    const [already] = await deps.db.select().from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.projectId, projectId), eq(jobs.state, "canceled")));
    if (already) return already;
    throw await finishedOrMissing(deps, projectId, jobId, "cancel");
  }
  notifyJob(deps, job, {
    type: "error.occurred",
    nodeId: job.nodeId,
    taskId: job.id,
    message: `canceled by ${user.name}`,
    state: "canceled",
  });
  return job;
}

/** Queues a failed or canceled job again with a fresh set of attempts. */
export async function retryJob(
  deps: AppDeps,
  projectId: string,
  jobId: string,
  user: { id: string; name: string },
): Promise<JobRow> {
  const [job] = await transitionJobs(deps, {
    where: and(
      eq(jobs.id, jobId),
      eq(jobs.projectId, projectId),
      inArray(jobs.state, ["failed", "canceled"]),
    )!,
    to: "queued",
    attempt: sql`0`,
    set: { ...clearedLease, error: null, progress: null, finishedAt: null, infraFailures: 0 },
    actor: `user:${user.id}`,
    message: `retried by ${user.name}`,
  });
  if (!job) throw await finishedOrMissing(deps, projectId, jobId, "retry");
  deps.dispatcher.wake();
  return job;
}

async function finishedOrMissing(
  deps: AppDeps,
  projectId: string,
  jobId: string,
  action: string,
): Promise<ApiError> {
  const [job] = await deps.db.select({ state: jobs.state }).from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.projectId, projectId))).limit(1);
  if (!job) return notFound("job");
  return conflict("wrong_state", `cannot ${action} a ${job.state} job`);
}
