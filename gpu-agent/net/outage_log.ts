/**
 * Logs an outage once: the first failure when a dependency stops answering, then nothing while
 * it stays down, then one line when it recovers. A long outage retried every few seconds would
 * otherwise bury every other log line.
 *
 * @example
 * ```ts
 * const outage = new OutageLog("edge", consoleLogger, systemClock);
 * outage.failure(err); // "edge: connection refused; retrying" (once)
 * outage.recovered();  // "edge: back after 3 failed attempts in 12 s" (once)
 * ```
 */
import type { Clock } from "../../protocol/clock.ts";
import type { Logger } from "../log/logger.ts";

export class OutageLog {
  #failures = 0;
  #since = 0;

  constructor(
    readonly label: string,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** Whether the last outcome was a failure. */
  get failing(): boolean {
    return this.#failures > 0;
  }

  failure(error: unknown): void {
    if (this.#failures === 0) {
      this.#since = this.clock.now();
      this.logger.warn(`${this.label}: ${describeError(error)}; retrying`);
    }
    this.#failures++;
  }

  recovered(): void {
    if (this.#failures === 0) return;
    const seconds = Math.round((this.clock.now() - this.#since) / 1000);
    const attempts = this.#failures === 1
      ? "1 failed attempt"
      : `${this.#failures} failed attempts`;
    this.logger.info(`${this.label}: back after ${attempts} in ${seconds} s`);
    this.#failures = 0;
  }
}

/** One line about an error, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
