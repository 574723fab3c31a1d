/// <reference lib="deno.worker" />
/**
 * The launcher's checkpoints (edge/start.ts) on a thread of their own, for
 * background_checkpoints.ts: the first message is the database URL, "stop" ends them.
 */
import { openDatabase } from "../../db/client.ts";
import { checkpointEvery } from "../../db/checkpointer.ts";

let stop: (() => void) | null = null;
let close: (() => void) | null = null;
self.onmessage = async (event: MessageEvent<string>) => {
  if (event.data === "stop") {
    stop?.();
    close?.();
    self.postMessage("stopped");
    return;
  }
  const db = await openDatabase({ url: event.data, migrate: false });
  stop = checkpointEvery(db.$client, 200, (line) => console.error(JSON.stringify(line))).stop;
  close = () => db.$client.close();
  self.postMessage("started");
};
