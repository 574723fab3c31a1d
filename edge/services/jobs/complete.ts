/**
 * Completion: the agent lists the outputs it uploaded; the edge checks each object (and each
 * video's poster frame, when the agent made one) exists in storage with the declared size, then,
 * in one transaction, marks the job succeeded and the takes ready with their lineage and media
 * facts. Completing again (a retried request) returns the same takes and changes nothing.
 * Agents since describe.ts complete without media and poster and send them just after (the take
 * is delivered without waiting for ffmpeg); older agents still send them here.
 *
 * A finished run whose `complete` could not reach the edge for longer than the lease (an outage)
 * finds its job requeued by the reaper. If nothing happened to the job since (no agent claimed it),
 * the completion is still accepted from the agent that lost the lease: its outputs are uploaded,
 * and refusing them would run the job a second time and orphan its takes.
 */
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { jobEvents, jobs, takes } from "../../../db/schema/mod.ts";
import type { CompleteRequest, Take } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import type { CallingAgent } from "../agents.ts";
import { leasedAt, runStatements } from "../fleet/runs.ts";
import { explainLost, leaseLost, notifyJob } from "./lifecycle.ts";
import { checkStoredPoster, checkStoredTake, outputMismatch } from "./stored_outputs.ts";
import { jobLineage, publicTake, roomTake, type TakeRow, type TakeWithJob } from "./takes.ts";
import { type JobRow, transitionStatements } from "./transitions.ts";

export async function completeJob(
  deps: AppDeps,
  agent: CallingAgent,
  jobId: string,
  request: CompleteRequest,
): Promise<Take[]> {
  const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  const reaped = job && job.leaseAgentId !== agent.id ? await reapedFrom(deps, agent, job) : null;
  if (!job || (job.leaseAgentId !== agent.id && !reaped)) {
    throw await explainLost(deps, agent, jobId);
  }
  const ids = request.outputs.map((o) => o.takeId);
  const rows = await deps.db.select().from(takes).where(
    and(eq(takes.jobId, jobId), inArray(takes.id, ids)),
  );
  const withJob = (row: TakeRow): TakeWithJob => ({ ...row, ...jobLineage(job) });
  if (job.state === "succeeded") return await alreadyDone(deps, rows.map(withJob), ids);
  if (!reaped && job.state !== "leased" && job.state !== "running") {
    throw leaseLost(`the job is ${job.state}`);
  }

  for (const [i, output] of request.outputs.entries()) {
    const row = rows.find((r) => r.id === output.takeId);
    const at = `outputs.${i}`;
    if (!row) throw outputMismatch(`${at}.takeId`, "not an output allocated for this job");
    if (row.contentType !== output.contentType) {
      throw outputMismatch(`${at}.contentType`, `the output was allocated as ${row.contentType}`);
    }
    await checkStoredTake(deps, row, output, at);
    if (output.poster) await checkStoredPoster(deps, row, output.poster, `${at}.poster`);
  }

  const startedAt = await leasedAt(deps, jobId) ?? job.startedAt ?? job.createdAt;
  const now = deps.now();
  const succeeded = and(
    eq(jobs.id, jobId),
    eq(jobs.leaseAgentId, agent.id),
    eq(jobs.state, "succeeded"),
  );
  const [, [done]] = await deps.db.batch([
    ...transitionStatements(deps, {
      where: reaped ?? and(
        eq(jobs.id, jobId),
        eq(jobs.leaseAgentId, agent.id),
        inArray(jobs.state, ["leased", "running"]),
      )!,
      to: "succeeded",
      set: {
        // The agent that ran it (a reaped job had lost it), and not the reaper's "lease expired".
        leaseAgentId: agent.id,
        error: null,
        leaseExpiresAt: null,
        finishedAt: now,
        progress: { percent: 100, message: "done", at: now },
      },
      actor: `agent:${agent.id}`,
      message: `succeeded with ${request.outputs.length} output${
        request.outputs.length === 1 ? "" : "s"
      }${reaped ? " (its lease had expired; no other agent had claimed it)" : ""}`,
    }),
    // Same transaction, and only if the job update above matched.
    ...request.outputs.map((output) =>
      deps.db.update(takes).set({
        state: "ready",
        bytes: output.bytes,
        sha256: output.sha256,
        media: output.media ?? null,
        posterBytes: output.poster?.bytes ?? null,
        template: request.template ?? null,
        seed: request.seed ?? null,
        // What the backend ran, when it says (its template may ignore some of the job's params).
        ...(request.params ? { params: request.params } : {}),
        completedAt: now,
      }).where(and(
        eq(takes.id, output.takeId),
        eq(takes.state, "pending"),
        sql`exists (select 1 from ${jobs} where ${succeeded})`,
      ))
    ),
    // What the run teaches (footprints, durations, metrics), if this batch completed it.
    ...runStatements(deps, {
      job,
      agent,
      template: request.template,
      peakVramMiB: request.peakVramMiB,
      startedAt,
      finishedAt: now,
    }),
  ]);
  // The lease was lost between the checks and the update (reaper, cancel): nothing was recorded.
  if (!done) throw leaseLost("the job changed while completing");
  const ready = (await deps.db.select().from(takes).where(inArray(takes.id, ids))).map(withJob);
  const result = await Promise.all(ready.map((row) => publicTake(deps, row)));
  for (const [i, take] of result.entries()) {
    notifyJob(deps, done, {
      type: "generation.complete",
      nodeId: done.nodeId,
      taskId: done.id,
      ...await roomTake(deps, ready[i]!, take),
    });
  }
  return result;
}

/**
 * When the job's last change was the reaper taking it back from this agent: the condition that
 * holds only while nothing else happened to it (every change of a job moves its `updatedAt`), for
 * the completing update to check again.
 */
async function reapedFrom(
  deps: AppDeps,
  agent: CallingAgent,
  job: Pick<JobRow, "id" | "state" | "updatedAt">,
): Promise<SQL | null> {
  if (job.state !== "queued") return null;
  const [last] = await deps.db.select().from(jobEvents).where(eq(jobEvents.jobId, job.id))
    .orderBy(desc(jobEvents.id)).limit(1);
  if (!last || last.actor !== "reaper" || last.agentId !== agent.id) return null;
  return and(eq(jobs.id, job.id), eq(jobs.state, "queued"), eq(jobs.updatedAt, job.updatedAt))!;
}

async function alreadyDone(deps: AppDeps, rows: TakeWithJob[], ids: string[]): Promise<Take[]> {
  const ready = rows.filter((r) => r.state === "ready");
  if (ready.length !== ids.length) {
    throw new ApiError(409, "already_completed", "the job already succeeded with other outputs");
  }
  return await Promise.all(ready.map((row) => publicTake(deps, row)));
}
