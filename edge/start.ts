/**
 * `deno task start`: the Deno edge. Refuses a PORT another process holds (naming the setting),
 * applies pending migrations, then has the runtime serve edge/main.ts on 127.0.0.1:PORT with
 * `deno serve --parallel` from EDGE_THREADS threads, and meanwhile checkpoints the database's
 * write-ahead log off the serving threads (db/checkpointer.ts). SIGINT and SIGTERM stop it.
 */
import { openDatabase } from "../db/client.ts";
import { checkpointEvery } from "../db/checkpointer.ts";
import { loadConfig } from "./config.ts";
import { lineLog } from "./lib/line_log.ts";
import { ensurePortFree, PortInUse } from "./lib/port_check.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
/** How long requests in flight may take to finish once the edge is asked to stop. */
const SHUTDOWN_GRACE_MS = 5000;

const config = loadConfig(Deno.env.toObject());
try {
  ensurePortFree("127.0.0.1", config.PORT, "PORT");
} catch (error) {
  if (!(error instanceof PortInUse)) throw error;
  console.error(`error: ${error.message}`);
  Deno.exit(1);
}
const db = await openDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
if (config.DATABASE_URL.startsWith("file:")) {
  checkpointEvery(db.$client, 200, lineLog((bytes) => Deno.stdout.writeSync(bytes)));
}
const server = new Deno.Command(Deno.execPath(), {
  args: [..."serve -A --parallel --host 127.0.0.1 --port".split(" "), String(config.PORT), MAIN],
  env: { DENO_JOBS: String(config.EDGE_THREADS) },
  stdin: "null",
}).spawn();
const kill = (signal: Deno.Signal) => {
  try {
    server.kill(signal);
  } catch { /* already gone */ }
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    // `deno serve` first finishes the requests in flight; a claim long-polls for up to 25 s,
    // and its agent asks again anyway.
    kill(signal);
    Deno.unrefTimer(setTimeout(() => kill("SIGKILL"), SHUTDOWN_GRACE_MS));
  });
}
Deno.exit((await server.status).code);
