/**
 * Keeps WAL checkpoints off the serving threads. With `synchronous = NORMAL`, a local commit only
 * appends to the write-ahead log; the one step that waits for the disk is the checkpoint that
 * copies the log into the database and syncs it, which SQLite otherwise runs inside whichever
 * commit crosses the threshold, stalling every request queued behind it for milliseconds.
 * Here the edge's launcher (edge/start.ts), which serves nothing, checkpoints at an interval on
 * its own connection, and the serving connections keep a far higher threshold only as a
 * fallback should it stop (`checkpointedElsewhere` in client.ts).
 *
 * @example
 * ```ts
 * const checkpoints = checkpointEvery(db.$client, 200, console.log);
 * checkpoints.stop();
 * ```
 */
import type { Client } from "@libsql/client";

/**
 * Log pages (4 KiB each) after which a serving connection checkpoints anyway. Under a steady
 * stream of writes a PASSIVE checkpoint rarely finds the log fully copied at the moment a commit
 * starts, which is when SQLite restarts the log, so the log grows to this size; by then the
 * launcher has copied nearly all of it and the fallback has little left to do.
 */
export const FALLBACK_CHECKPOINT_PAGES = 20_000;

/** A PASSIVE checkpoint never waits for the serving connections and never blocks their commits. */
export function checkpointEvery(
  client: Client,
  intervalMs: number,
  log: (line: Record<string, unknown>) => void,
): { stop(): void } {
  let failing = false;
  const timer = setInterval(async () => {
    try {
      await client.execute("PRAGMA wal_checkpoint(PASSIVE)");
      if (failing) log({ msg: "background checkpoint recovered" });
      failing = false;
    } catch (error) {
      // Said once per outage: the serving connections still checkpoint as a fallback.
      if (!failing) log({ msg: "background checkpoint failed", error: String(error) });
      failing = true;
    }
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
