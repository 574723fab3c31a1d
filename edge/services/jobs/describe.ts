/**
 * A take's description after completion: the agent that made a ready video take sends its media
 * facts and poster frame once it has them, beside its next job, instead of holding the job (and
 * its GPU) until ffmpeg is done. Recorded once: the same description again answers as before, a
 * different one is refused. The room hears `take.described`, so open studios show the poster.
 */
import { and, eq, isNull } from "drizzle-orm";
import { jobs, takes } from "../../../db/schema/mod.ts";
import {
  mediaFactsSchema,
  type Take,
  type TakeDescriptionRequest,
} from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import { conflict, notFound } from "../../errors.ts";
import type { CallingAgent } from "../agents.ts";
import { notifyJob } from "./lifecycle.ts";
import { checkStoredPoster, outputMismatch } from "./stored_outputs.ts";
import { jobLineage, publicTake, roomTake, type TakeRow } from "./takes.ts";

export async function describeTake(
  deps: AppDeps,
  agent: CallingAgent,
  ids: { jobId: string; takeId: string },
  request: TakeDescriptionRequest,
): Promise<Take> {
  const [found] = await deps.db.select({ take: takes, job: jobs }).from(takes)
    .innerJoin(jobs, eq(jobs.id, takes.jobId))
    .where(and(eq(takes.id, ids.takeId), eq(takes.jobId, ids.jobId))).limit(1);
  // Another agent's take is none of this one's business: the same answer as no take at all.
  if (!found || found.take.agentId !== agent.id) throw notFound("take");
  const { take: row, job } = found;
  if (row.state !== "ready") {
    throw conflict("take_not_ready", "the take is not ready: complete its job first");
  }
  if (!row.contentType.startsWith("video/")) {
    throw outputMismatch("media", "only a video take has media facts and a poster frame");
  }
  if (request.poster) await checkStoredPoster(deps, row, request.poster, "poster");
  const [described] = await deps.db.update(takes).set({
    media: request.media,
    posterBytes: request.poster?.bytes ?? null,
  }).where(and(
    eq(takes.id, row.id),
    eq(takes.state, "ready"),
    isNull(takes.media),
    isNull(takes.posterBytes),
  )).returning();
  const publicOf = (r: TakeRow) => publicTake(deps, { ...r, ...jobLineage(job) });
  if (!described) {
    // Described already (by completion, a retried request, or a race): only the same again.
    const [now] = await deps.db.select().from(takes).where(eq(takes.id, row.id)).limit(1);
    if (!now || !_same(now, request)) {
      throw conflict(
        "already_described",
        "the take already has its media facts and poster frame, which do not change",
      );
    }
    return await publicOf(now);
  }
  const take = await publicOf(described);
  notifyJob(deps, job, {
    type: "take.described",
    nodeId: row.nodeId,
    taskId: row.jobId,
    ...await roomTake(deps, described, take),
  });
  return take;
}

function _same(row: TakeRow, request: TakeDescriptionRequest): boolean {
  const facts = Object.keys(mediaFactsSchema.shape) as (keyof typeof request.media)[];
  return facts.every((fact) => row.media?.[fact] === request.media[fact]) &&
    row.posterBytes === (request.poster?.bytes ?? null);
}
