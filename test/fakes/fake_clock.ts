/**
 * The one fake `Clock` (protocol/clock.ts) for the agent's, the room's and the studio's tests:
 * time stands still until the test moves it, so timers run deterministically and no real timer
 * is left behind. `advance()` fires timers in due order (ties in the order they were set) and
 * lets promise chains and I/O run after each, as real time would; `fireDue()` runs what is due
 * now (a 0 ms timer: the next turn of the event loop) at once; `settle()` drives a promise that
 * waits on timers to completion.
 */
import { type Clock, sleepWith } from "../../protocol/clock.ts";

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
      this.#timers = this.#timers.filter((t) => t !== timer);
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

  /** The delays (from now) of the timers waiting to fire, soonest first. */
  get delays(): number[] {
    return this.#timers.map((t) => t.due - this.#now).sort((a, b) => a - b);
  }

  /** Fires the timers due now, and the ones they set for now, without waiting for anything. */
  fireDue(): void {
    for (let next = this.#take(this.#now); next; next = this.#take(this.#now)) next.fn();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.#take(end);
      if (!next) break;
      this.#now = Math.max(this.#now, next.due);
      next.fn();
      await flushMacrotask(); // let what the timer started (a flush, a retry) progress
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
      if (next) await this.advance(next.due - this.#now);
    }
    throw new Error(`FakeClock.settle: promise still pending after ${maxSteps} steps`);
  }

  /** Removes and returns the earliest timer due by `by`, if any. */
  #take(by: number): Timer | undefined {
    const next = this.#earliest();
    if (!next || next.due > by) return undefined;
    this.#timers = this.#timers.filter((t) => t !== next);
    return next;
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
