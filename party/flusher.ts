/**
 * Decides when a room sends a graph revision to the edge: `quietMs` after changes stop, at the
 * latest `maxWaitMs` after the first unflushed change (so a never-quiet room still saves), at
 * once when asked (the last user left), and again with back-off while the edge is unreachable.
 * Only one flush is in flight at a time. This timing is for history and durability only: what
 * the edge does with the graph (Generate, revert) does not wait for it, the edge asks the room
 * to store its graph first (room.ts, `graph.flush`).
 *
 * A change only records its time: the one armed timer re-checks when it fires, so a busy room
 * does not clear and set a timer per op. The wait for a never-quiet room is drawn between 75%
 * and 100% of `maxWaitMs`, so rooms that got busy together (after a restart, say) do not all
 * flush in the same instant.
 */
import type { Clock } from "../protocol/clock.ts";

export interface FlusherOptions {
  clock: Clock;
  /** Does the flush; resolves true when there is nothing left to flush, throws on failure. */
  flush: () => Promise<boolean>;
  quietMs?: number;
  maxWaitMs?: number;
  retryMs?: number;
  maxRetryMs?: number;
  log?: (message: string) => void;
  /** A number in [0, 1); `Math.random` unless a test pins it. */
  random?: () => number;
}

export class Flusher {
  #o: Required<FlusherOptions>;
  #cancel: (() => void) | null = null;
  /** When the first unflushed change was made, and when a flush is due at the latest. */
  #dirtySince: number | null = null;
  #deadline = 0;
  #lastChange = 0;
  /** Asked to flush as soon as possible, or retrying: the timer flushes without re-checking. */
  #urgent = false;
  #inFlight = false;
  #failures = 0;
  #disposed = false;

  constructor(options: FlusherOptions) {
    this.#o = {
      quietMs: 1000,
      maxWaitMs: 10_000,
      retryMs: 1000,
      maxRetryMs: 30_000,
      log: console.warn,
      random: Math.random,
      ...options,
    };
  }

  /** A change was made: flush once things are quiet. */
  changed(): void {
    const now = this.#o.clock.now();
    this.#dirty(now);
    this.#lastChange = now;
    if (this.#inFlight || this.#failures > 0) return; // the running flush or the retry picks it up
    // An armed timer fires no later than the flush is now due (due times only move later).
    if (this.#cancel === null) this.#arm(this.#due() - now);
  }

  /** Flush as soon as possible (the last user left). */
  now(): void {
    this.#dirty(this.#o.clock.now());
    this.#urgent = true;
    if (!this.#inFlight) this.#arm(0);
  }

  dispose(): void {
    this.#disposed = true;
    this.#clear();
  }

  #dirty(now: number): void {
    if (this.#dirtySince !== null) return;
    this.#dirtySince = now;
    this.#deadline = now + this.#o.maxWaitMs * (0.75 + this.#o.random() * 0.25);
  }

  #due(): number {
    return Math.min(this.#lastChange + this.#o.quietMs, this.#deadline);
  }

  #arm(ms: number): void {
    this.#clear();
    this.#cancel = this.#o.clock.setTimer(() => {
      this.#cancel = null;
      this.#fire();
    }, Math.max(0, ms));
  }

  #clear(): void {
    this.#cancel?.();
    this.#cancel = null;
  }

  #fire(): void {
    if (!this.#urgent && this.#dirtySince !== null) {
      const wait = this.#due() - this.#o.clock.now();
      if (wait > 0) return this.#arm(wait); // changed since the timer was armed
    }
    void this.#run();
  }

  async #run(): Promise<void> {
    if (this.#disposed || this.#inFlight || this.#dirtySince === null) return;
    this.#inFlight = true;
    this.#urgent = false;
    this.#dirtySince = null;
    let done = false;
    try {
      done = await this.#o.flush();
      if (this.#failures > 0) this.#o.log("room: flush to the edge works again");
      this.#failures = 0;
    } catch (error) {
      // Log the first failure only; storage still holds every change, so nothing is lost.
      if (this.#failures === 0) this.#o.log(`room: flush to the edge failed, will retry: ${error}`);
      this.#failures++;
      this.#dirty(this.#o.clock.now());
    } finally {
      this.#inFlight = false;
    }
    if (this.#disposed) return;
    if (this.#failures > 0) {
      const backoff = Math.min(this.#o.maxRetryMs, this.#o.retryMs * 2 ** (this.#failures - 1));
      this.#urgent = true;
      this.#arm(backoff * (0.75 + this.#o.random() * 0.5));
    } else if (this.#urgent) {
      this.#arm(0); // asked again while the flush ran
    } else if (!done || this.#dirtySince !== null) {
      this.#dirty(this.#o.clock.now());
      this.#arm(this.#o.quietMs);
    }
  }
}
