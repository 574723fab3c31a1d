/**
 * Wakes waiting claims when work may have arrived. Each edge thread has one; a job queued (or
 * returned to the queue) wakes every claim waiting in this thread at once, and, when the
 * dispatcher is shared under a name, every claim waiting in the process's other serving
 * threads too (a BroadcastChannel). Jobs queued by another edge instance are found by the
 * claim's periodic re-check instead.
 *
 * A claim reads `generation` before it queries the database and passes it to `wait`: if a job
 * was queued in between, the generation has moved on and `wait` returns at once, so no wake-up
 * is ever lost between "found nothing" and "started waiting".
 *
 * @example
 * ```ts
 * const seen = dispatcher.generation;
 * const job = await claimJob(deps, agent);
 * if (!job) await dispatcher.wait(seen, 1000, signal);
 * ```
 */

export interface Dispatcher {
  /** Moves on each time `wake` is called. */
  readonly generation: number;
  /** Claims waiting right now (for tests and metrics). */
  readonly waiting: number;
  /**
   * Resolves on the next wake after `seen` (at once if one already happened), after `ms`, or
   * when `signal` aborts. Never rejects, and leaves no timer behind.
   */
  wait(seen: number, ms: number, signal?: AbortSignal): Promise<void>;
  wake(): void;
  /** Leaves the shared channel (a shared dispatcher keeps its thread alive until then). */
  close(): void;
}

/**
 * @param sharedAs Threads of one process that pass the same name wake each other's claims.
 */
export function createDispatcher(sharedAs?: string): Dispatcher {
  let generation = 0;
  const waiters = new Set<() => void>();
  const wakeHere = () => {
    generation++;
    for (const done of [...waiters]) done();
  };
  const channel = sharedAs === undefined ? null : new BroadcastChannel(sharedAs);
  if (channel) channel.onmessage = wakeHere;
  return {
    get generation() {
      return generation;
    },
    get waiting() {
      return waiters.size;
    },
    wait(seen, ms, signal) {
      if (seen !== generation || signal?.aborted || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener("abort", done, { once: true });
        waiters.add(done);
      });
    },
    wake() {
      wakeHere();
      channel?.postMessage(null);
    },
    close() {
      channel?.close();
    },
  };
}
