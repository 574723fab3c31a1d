/**
 * The deployed edge's checkpoint arrangement for a benchmark that runs the app in-process:
 * `deno task start` checkpoints the write-ahead log from its launcher, which serves nothing
 * (db/checkpointer.ts), and its serving connections checkpoint only past a far higher fallback
 * threshold. A test app (edge/testing.ts) keeps SQLite's default instead, a checkpoint inside
 * whichever commit crosses 1,000 log pages: copying 4 MB and syncing it on the request's path.
 * In the fleet benchmark's one-agent dispatch that landed in 4 of 200 samples at 3–4× the median
 * (2026-12-07), which is the p99, and a deployed edge never does it.
 *
 * Here a worker thread plays the launcher: its own connection, the same interval as start.ts.
 */
import { FALLBACK_CHECKPOINT_PAGES } from "../../db/checkpointer.ts";
import type { TestApp } from "../../edge/testing.ts";

export async function checkpointInBackground(
  t: Pick<TestApp, "db" | "databaseUrl">,
): Promise<{ stop(): Promise<void> }> {
  await t.db.$client.execute(`PRAGMA wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  const reply = () =>
    new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`checkpoint worker: ${event.message}`));
      };
    });
  const started = reply();
  worker.postMessage(t.databaseUrl);
  await started;
  return {
    async stop() {
      const stopped = reply();
      worker.postMessage("stop");
      await stopped;
      worker.terminate();
    },
  };
}
