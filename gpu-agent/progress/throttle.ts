/**
 * Rate-limits progress events on their way to the edge. A sampler can report every step many
 * times a second; the edge needs a few per second at most. Rules:
 * - the first event goes out at once (people see the job start);
 * - after that at most `maxPerSecond`; an event that arrives too soon is held and the newest
 *   held one goes out when the interval ends (nothing is lost at the end of a burst);
 * - `finish()` (100 % or a failure) goes out at once, replacing anything held; `now()` too,
 *   but throttling goes on after it (the end of a phase, with more to come);
 * - when nothing went out for `keepAliveMs`, the latest event is sent again: progress events
 *   renew the job's lease, and a long silent step (loading a model) must not lose it.
 *
 * @example
 * ```ts
 * const throttle = new ProgressThrottle({ send: (r) => postEvent(r), maxPerSecond: 2 });
 * backend.run(job, { signal, onProgress: (r) => throttle.push(r) });
 * throttle.finish({ percent: 100, message: "done" });
 * ```
 */
import { type Clock, systemClock } from "../../protocol/clock.ts";

export interface ThrottleOptions<T> {
  send: (event: T) => void;
  /** Default 2 events per second. */
  maxPerSecond?: number;
  /** Default 20 s; keep it well under the edge's lease time. */
  keepAliveMs?: number;
  clock?: Clock;
}

export class ProgressThrottle<T> {
  readonly #send: (event: T) => void;
  readonly #intervalMs: number;
  readonly #keepAliveMs: number;
  readonly #clock: Clock;
  #lastSentAt: number | null = null;
  #latest: { event: T } | null = null;
  #held: { event: T } | null = null;
  #cancelFlush: (() => void) | null = null;
  #cancelKeepAlive: (() => void) | null = null;
  #closed = false;

  constructor(options: ThrottleOptions<T>) {
    const perSecond = options.maxPerSecond ?? 2;
    if (!(perSecond > 0)) throw new RangeError("maxPerSecond must be above 0");
    this.#send = options.send;
    this.#intervalMs = 1000 / perSecond;
    this.#keepAliveMs = options.keepAliveMs ?? 20_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Offers an event; it goes out now, later (held), or is replaced by a newer one. */
  push(event: T): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    if (this.#lastSentAt === null || now - this.#lastSentAt >= this.#intervalMs) {
      this.#emit(event);
      return;
    }
    this.#held = { event };
    if (!this.#cancelFlush) {
      const wait = this.#lastSentAt + this.#intervalMs - now;
      this.#cancelFlush = this.#clock.setTimer(() => this.#flush(), wait);
    }
  }

  /** Sends `event` at once, replacing anything held; later pushes wait out the interval. */
  now(event: T): void {
    if (this.#closed) return;
    this.#emit(event);
  }

  /** Sends the final event at once and stops; later pushes are ignored. */
  finish(event: T): void {
    if (this.#closed) return;
    this.#emit(event);
    this.close();
  }

  /** Stops all timers without sending anything more. */
  close(): void {
    this.#closed = true;
    this.#held = null;
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    this.#cancelKeepAlive?.();
    this.#cancelKeepAlive = null;
  }

  #flush(): void {
    this.#cancelFlush = null;
    const held = this.#held;
    this.#held = null;
    if (held) this.#emit(held.event);
  }

  #emit(event: T): void {
    this.#held = null;
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    this.#lastSentAt = this.#clock.now();
    this.#latest = { event };
    this.#armKeepAlive();
    this.#send(event);
  }

  #armKeepAlive(): void {
    this.#cancelKeepAlive?.();
    this.#cancelKeepAlive = this.#clock.setTimer(() => {
      this.#cancelKeepAlive = null;
      if (!this.#closed && this.#latest) this.#emit(this.#latest.event);
    }, this.#keepAliveMs);
  }
}
