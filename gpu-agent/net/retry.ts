/**
 * Retries an async operation with exponential backoff and full jitter: attempt n waits a random
 * time in [0, min(maxDelay, baseDelay * 2^n)), so many agents that lost the edge together do
 * not all come back in the same second. Fatal errors (see classify.ts) are thrown at once.
 *
 * @example
 * ```ts
 * const body = await retry((attempt) => fetchJson(url), { label: "heartbeat" });
 * ```
 */
import { type Clock, systemClock } from "../../protocol/clock.ts";
import { consoleLogger, type Logger } from "../log/logger.ts";
import { classifyError } from "./classify.ts";
import { HttpError } from "./http_error.ts";
import { OutageLog } from "./outage_log.ts";

export interface RetryOptions {
  /** Names the operation in log lines ("upload take01.mp4"). */
  label: string;
  /** Total tries including the first; `Infinity` retries until success, fatal error or abort. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Decides whether an error is worth another try; defaults to `classifyError`. */
  isRetriable?: (error: unknown) => boolean;
  signal?: AbortSignal;
  clock?: Clock;
  /** Source of jitter in [0, 1); injectable so tests can pin delays. */
  random?: () => number;
  logger?: Logger;
  /** Shares outage state across calls (a loop that retries the same edge every time). */
  outage?: OutageLog;
}

/** The wait before retry number `attempt` (0-based): full jitter under an exponential cap. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const isRetriable = options.isRetriable ?? ((e) => classifyError(e) === "retriable");
  const outage = options.outage ??
    new OutageLog(options.label, options.logger ?? consoleLogger, clock);

  for (let attempt = 0;; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const result = await operation(attempt);
      outage.recovered();
      return result;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!isRetriable(error) || attempt + 1 >= maxAttempts) throw error;
      outage.failure(error);
      const jittered = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      // A server that says when to come back knows better than our guess.
      const asked = error instanceof HttpError ? error.retryAfterMs : undefined;
      await clock.sleep(
        asked !== undefined ? Math.min(asked, maxDelayMs) : jittered,
        options.signal,
      );
    }
  }
}
