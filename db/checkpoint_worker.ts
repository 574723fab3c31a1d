/**
 * Runs in a Worker (see checkpointer.ts): its own connection to the database file, checkpointing
 * the write-ahead log into the database at an interval. A PASSIVE checkpoint never waits for the
 * app's connection and never blocks its commits.
 */
import Database from "libsql";

export interface CheckpointWorkerStart {
  path: string;
  intervalMs: number;
}

self.onmessage = (event: MessageEvent<CheckpointWorkerStart>) => {
  const { path, intervalMs } = event.data;
  const db = new Database(path, { timeout: 5000 });
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").raw();
  let failing = false;
  setInterval(() => {
    try {
      checkpoint.all();
      if (failing) self.postMessage({ kind: "recovered" });
      failing = false;
    } catch (error) {
      // Said once per outage: the app's own connection still checkpoints as a fallback.
      if (!failing) self.postMessage({ kind: "failed", error: String(error) });
      failing = true;
    }
  }, intervalMs);
};
