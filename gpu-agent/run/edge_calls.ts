/**
 * Edge calls as the daemon makes them: retried with full-jitter backoff while the failure is
 * retriable (network, 5xx, 429, timeouts), for as long as it takes or until the caller's signal
 * aborts; one shared `OutageLog`, so an edge outage is logged once when it starts and once when
 * it ends, however many calls (heartbeat, claim, events) were failing meanwhile.
 *
 * @example
 * ```ts
 * const calls = new EdgeCalls(client, { logger, clock });
 * const job = await calls.call("claim", (s) => client.claim(25_000, s), signal);
 * ```
 */
import { consoleLogger, type Logger } from "../log/logger.ts";
import { OutageLog } from "../net/outage_log.ts";
import { retry } from "../net/retry.ts";
import { type Clock, systemClock } from "../../protocol/clock.ts";
import type { EdgeClient } from "./edge_client.ts";

export interface EdgeCallsOptions {
  logger?: Logger;
  clock?: Clock;
  /** First backoff cap; default 500 ms. */
  baseDelayMs?: number;
  /** Largest backoff; default 15 s (an agent should notice a recovered edge soon). */
  maxDelayMs?: number;
  random?: () => number;
}

export class EdgeCalls {
  readonly outage: OutageLog;
  readonly #options: EdgeCallsOptions;

  constructor(readonly client: EdgeClient, options: EdgeCallsOptions = {}) {
    this.#options = options;
    this.outage = new OutageLog(
      `edge ${client.serverUrl}`,
      options.logger ?? consoleLogger,
      options.clock ?? systemClock,
    );
  }

  /** Runs `operation` until it succeeds, fails for good, or `signal` aborts. */
  call<T>(
    label: string,
    operation: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    return retry(() => operation(signal), {
      label,
      maxAttempts: Infinity,
      baseDelayMs: this.#options.baseDelayMs ?? 500,
      maxDelayMs: this.#options.maxDelayMs ?? 15_000,
      signal,
      outage: this.outage,
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
      ...(this.#options.random ? { random: this.#options.random } : {}),
    });
  }
}
