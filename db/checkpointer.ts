/**
 * Moves WAL checkpoints off the event loop. With `synchronous = NORMAL`, a local commit only
 * appends to the write-ahead log; the one step that waits for the disk is the checkpoint that
 * copies the log into the database and syncs it, which SQLite otherwise runs inside whichever
 * commit crosses the threshold, stalling every request queued behind it for milliseconds.
 * Here a worker thread with its own connection checkpoints at an interval, and the app's
 * connection keeps a far higher threshold only as a fallback should the worker stop.
 *
 * @example
 * ```ts
 * const checkpointer = startCheckpointer(".data/app.db", { intervalMs: 200, log: console.log });
 * checkpointer.stop();
 * ```
 */
import type { CheckpointWorkerStart } from "./checkpoint_worker.ts";

/**
 * Log pages (4 KiB each) after which the app's own connection checkpoints anyway. Under a
 * steady stream of writes a PASSIVE checkpoint rarely finds the log fully copied at the moment
 * a commit starts, which is when SQLite restarts the log, so the log grows to this size; by
 * then the worker has copied nearly all of it and the fallback has little left to do.
 */
export const FALLBACK_CHECKPOINT_PAGES = 20_000;

export interface Checkpointer {
  stop(): void;
}

export function startCheckpointer(
  path: string,
  options: { intervalMs: number; log: (line: Record<string, unknown>) => void },
): Checkpointer {
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  worker.onmessage = (event: MessageEvent<{ kind: string; error?: string }>) => {
    options.log({ msg: `background checkpoint ${event.data.kind}`, error: event.data.error });
  };
  worker.onerror = (event) => {
    event.preventDefault();
    options.log({ msg: "background checkpoint worker stopped", error: event.message });
  };
  worker.postMessage({ path, intervalMs: options.intervalMs } satisfies CheckpointWorkerStart);
  return { stop: () => worker.terminate() };
}
