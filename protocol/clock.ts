/**
 * Time as a dependency, for the agent, the room and the studio alike: retries, throttles, health
 * checks, room flushes and presence ticks, drag-step flushes take a `Clock`, so tests drive them
 * with `FakeClock` (test/fakes/fake_clock.ts) instead of real waits. Runtime-free: Deno, workerd
 * and browsers all have `setTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const cancel = systemClock.setTimer(() => console.log("late"), 1000);
 * cancel();
 * await systemClock.sleep(250);
 * ```
 */

export interface Clock {
  /** Milliseconds since the epoch (or since any fixed origin, for fakes). */
  now(): number;
  /** Calls `fn` once after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Builds `sleep` on top of `setTimer`, so real and fake clocks abort the same way. */
export function sleepWith(
  setTimer: Clock["setTimer"],
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = setTimer(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const id = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(id);
  },
  sleep(ms, signal) {
    return sleepWith(this.setTimer, ms, signal);
  },
};
