/**
 * A clock for tests: time stands still until the test moves it. Timers fire in due order as
 * `advance()` passes them; `settle()` drives a promise that waits on timers to completion.
 */
import { type Clock, sleepWith } from "./clock.ts";

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;
  /** Every `sleep()` duration asked for, in order (to check backoff delays). */
  readonly sleeps: number[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== timer.id);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return sleepWith((fn, delay) => this.setTimer(fn, delay), ms, signal);
  }

  /** How many timers are waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.due > end) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.due;
      next.fn();
    }
    this.#now = end;
  }

  /**
   * Resolves `promise` by firing the next timer whenever it is stuck waiting, at most
   * `maxSteps` times (a bounded loop: a test that never settles fails instead of hanging).
   */
  async settle<T>(promise: Promise<T>, maxSteps = 1000): Promise<T> {
    let done = false;
    const tracked = promise.finally(() => {
      done = true;
    });
    tracked.catch(() => {});
    for (let step = 0; step < maxSteps; step++) {
      await flushMacrotask();
      if (done) return tracked;
      const next = this.#earliest();
      if (next) this.advance(next.due - this.#now);
    }
    throw new Error(`FakeClock.settle: promise still pending after ${maxSteps} steps`);
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) if (!best || t.due < best.due) best = t;
    return best;
  }
}

/** Lets pending I/O callbacks and promise chains run (one real event-loop turn, no waiting). */
function flushMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
