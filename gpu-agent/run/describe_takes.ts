/**
 * After a job completed: each video take's facts (ffprobe) and poster frame (ffmpeg), made by
 * the first healthy backend that reads videos, the poster uploaded to the take's poster slot and
 * both sent to the edge, which shows them to everyone at once. It runs after the lease ended and
 * the GPU slot was released, so the next job starts beside it instead of waiting for ffmpeg.
 * Best effort: a take it cannot describe stays without a poster, with a warning; never a failed
 * job. An edge older than the route (404) is told nothing more.
 */
import { POSTER_CONTENT_TYPE, type TakeDescriptionRequest } from "../../protocol/jobs.ts";
import type { Clock } from "../../protocol/clock.ts";
import type { JobBackend, VideoDescription } from "../backends/backend.ts";
import type { Logger } from "../log/logger.ts";
import { HttpError } from "../net/http_error.ts";
import { describeError } from "../net/outage_log.ts";
import { uploadFile } from "../upload/mod.ts";
import type { EdgeCalls } from "./edge_calls.ts";
import { AgentRejected } from "./edge_client.ts";

/**
 * Describing, one job's takes at a time across the agent: each is an ffprobe and an ffmpeg run
 * beside the GPU's next job, and several at once would only slow that job and each other.
 */
export class DescribeQueue {
  #last: Promise<void> = Promise.resolve();

  /** Runs `work` after the work queued before it (whether that failed or not). */
  run(work: () => Promise<void>): Promise<void> {
    const turn = this.#last.then(work);
    this.#last = turn.catch(() => {});
    return turn;
  }
}

/** A video output delivered as a ready take, and where its poster frame may go. */
export interface DeliveredVideo {
  takeId: string;
  path: string;
  /** The output slot's poster upload (absent from edges before posters). */
  poster?: { uploadUrl: string; headers: Record<string, string> };
  /** Already read before completion (a draining agent: see `readVideos`); null: unreadable. */
  described?: VideoDescription | null;
}

export interface DescribeDeps {
  edge: EdgeCalls;
  backends: readonly JobBackend[];
  isHealthy: (backend: JobBackend) => boolean;
  logger: Logger;
  clock: Clock;
}

/** Describes `videos` of job `jobId` one at a time; throws only when stopped or rejected. */
export async function describeTakes(
  jobId: string,
  videos: readonly DeliveredVideo[],
  deps: DescribeDeps,
  signal: AbortSignal,
  label: string,
): Promise<void> {
  const reader = deps.backends.find((b) => b.describeVideo && deps.isHealthy(b));
  if (!reader) return;
  // One at a time: each is an ffmpeg run, and the GPU's next job may be starting beside it.
  for (const video of videos) {
    try {
      const described = video.described === undefined
        ? await reader.describeVideo!(video.path, signal)
        : video.described;
      if (!described) continue;
      const poster = video.poster && described.posterPath
        ? await uploadFile(described.posterPath, video.poster.uploadUrl, {
          contentType: POSTER_CONTENT_TYPE,
          headers: video.poster.headers,
          signal,
          retry: { logger: deps.logger, clock: deps.clock },
        }).catch((error) => {
          // The facts are worth sending without it (its URL may have expired after a long upload).
          if (signal.aborted) throw error;
          deps.logger.warn(`${label}: no poster for ${video.path}: ${describeError(error)}`);
          return null;
        })
        : null;
      const request: TakeDescriptionRequest = {
        media: described.media,
        ...(poster ? { poster: { bytes: poster.bytes, sha256: poster.sha256 } } : {}),
      };
      await deps.edge.call(
        "describe",
        (s) => deps.edge.client.describe(jobId, video.takeId, request, s),
        signal,
      );
    } catch (error) {
      if (signal.aborted || error instanceof AgentRejected) throw error;
      if (error instanceof HttpError && error.status === 404) {
        deps.logger.warn(
          `${label}: the edge takes no poster after completion (older than this agent): takes stay without one`,
        );
        return;
      }
      deps.logger.warn(`${label}: no poster or facts for ${video.path}: ${describeError(error)}`);
    }
  }
}

/**
 * Facts and posters read before completion, by a draining agent: it claims no next job to make
 * them beside, and stops once they are sent, so they are made while the job still holds its
 * lease (an autoscaler counts the agent as working, not as idle capacity). Null: unreadable.
 */
export async function readVideos(
  paths: readonly { path: string; contentType: string }[],
  deps: DescribeDeps,
  signal: AbortSignal,
  label: string,
): Promise<(VideoDescription | null | undefined)[]> {
  const reader = deps.backends.find((b) => b.describeVideo && deps.isHealthy(b));
  const read: (VideoDescription | null | undefined)[] = [];
  for (const { path, contentType } of paths) {
    if (!reader || !contentType.startsWith("video/")) {
      read.push(undefined);
      continue;
    }
    read.push(
      await reader.describeVideo!(path, signal).catch((error) => {
        if (signal.aborted) throw error;
        deps.logger.warn(`${label}: no poster or facts for ${path}: ${describeError(error)}`);
        return null;
      }),
    );
  }
  return read;
}
