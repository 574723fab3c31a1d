/**
 * Decides when a room sends a graph revision to the edge: `quietMs` after changes stop, at the
 * latest `maxWaitMs` after the first unflushed change (so a never-quiet room still saves), at
 * once when asked (the last user left), and again with back-off while the edge is unreachable.
 * Only one flush is in flight at a time.
 */
import type { RoomClock } from "./ports.ts";

export interface FlusherOptions {
  clock: RoomClock;
  /** Does the flush; resolves true when there is nothing left to flush, throws on failure. */
  flush: () => Promise<boolean>;
  quietMs?: number;
  maxWaitMs?: number;
  retryMs?: number;
  maxRetryMs?: number;
  log?: (message: string) => void;
}

export class Flusher {
  #o: Required<FlusherOptions>;
  #timer: number | null = null;
  #dirtySince: number | null = null;
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
      ...options,
    };
  }

  /** A change was made: flush once things are quiet. */
  changed(): void {
    const now = this.#o.clock.now();
    this.#dirtySince ??= now;
    if (this.#inFlight || this.#failures > 0) return; // the running flush or the retry picks it up
    const latest = this.#dirtySince + this.#o.maxWaitMs;
    this.#arm(Math.max(0, Math.min(this.#o.quietMs, latest - now)));
  }

  /** Flush as soon as possible (the last user left). */
  now(): void {
    this.#dirtySince ??= this.#o.clock.now();
    if (!this.#inFlight) this.#arm(0);
  }

  dispose(): void {
    this.#disposed = true;
    this.#clear();
  }

  #arm(ms: number): void {
    this.#clear();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, ms);
  }

  #clear(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #run(): Promise<void> {
    if (this.#disposed || this.#inFlight || this.#dirtySince === null) return;
    this.#inFlight = true;
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
      this.#dirtySince ??= this.#o.clock.now();
    } finally {
      this.#inFlight = false;
    }
    if (this.#disposed) return;
    if (this.#failures > 0) {
      const backoff = Math.min(this.#o.maxRetryMs, this.#o.retryMs * 2 ** (this.#failures - 1));
      this.#arm(backoff * (0.75 + Math.random() * 0.5));
    } else if (!done || this.#dirtySince !== null) {
      this.#dirtySince ??= this.#o.clock.now();
      this.#arm(this.#o.quietMs);
    }
  }
}
