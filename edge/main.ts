/**
 * Deno entry: the app as `export default { fetch }`, like worker.ts, served by the runtime's
 * `deno serve --parallel` (one isolate per thread, each with its own database connection, the
 * listening socket shared among them). Start it with `deno task start` (edge/start.ts), which
 * refuses a taken port and applies migrations before serving; settings come from the
 * environment (see edge/config.ts).
 */
import { getConnInfo, serveStatic } from "hono/deno";
import { openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { lineLog } from "./lib/line_log.ts";
import { spaFallback } from "./middleware/spa.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { startReaper } from "./services/jobs/reaper.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

/** The serving threads share claim wake-ups under this name (services/dispatcher.ts). */
const DISPATCH_CHANNEL = "movie-director-claims";

const config = loadConfig(Deno.env.toObject());
// One JSON line per request on stdout, written a turn's worth at a time (lib/line_log.ts).
const log = lineLog((bytes) => Deno.stdout.writeSync(bytes));
const deps = {
  // edge/start.ts applied the migrations before serving, and takes the checkpoints.
  db: await openDatabase({
    url: config.DATABASE_URL,
    authToken: config.DATABASE_AUTH_TOKEN,
    migrate: false,
    checkpointedElsewhere: true,
  }),
  config,
  notifier: httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log),
  storage: createBlobStore(config, Date.now),
  dispatcher: createDispatcher(DISPATCH_CHANNEL),
  now: Date.now,
  clientAddress: (c: Parameters<typeof getConnInfo>[0]) => getConnInfo(c).remote.address,
  log,
};
const app = createApp(deps, { web: spaFallback(config.WEB_DIST, serveStatic) });
// Expired leases go back to the queue even when no request arrives. Every thread runs the
// reaper; each job is changed by exactly one statement, so they never do anything twice.
const stopping = new AbortController();
startReaper(deps, config.REAPER_INTERVAL_MS, stopping.signal);
// On SIGINT or SIGTERM `deno serve` finishes the requests in flight and waits for every thread
// to fall idle: the reaper's timer and the claims' channel would keep this one busy forever.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    stopping.abort();
    deps.dispatcher.close();
  });
}

export default { fetch: app.fetch } satisfies Deno.ServeDefaultExport;
