/**
 * Time as a dependency. Retries, throttles and health checks take a `Clock` so tests can drive
 * them with `FakeClock` instead of real sleeps.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
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
