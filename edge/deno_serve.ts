/**
 * One serving thread of the Deno edge: its own database connection, app and HTTP listener on
 * the shared port. The primary thread (edge/main.ts) also migrates the database, runs the
 * lease reaper and the background checkpoints; the others (edge/serve_thread.ts) only serve.
 * With several threads the port is opened with SO_REUSEPORT and the kernel spreads
 * connections across them, and claims waiting in any thread are woken by a job queued in any
 * other (a shared dispatcher).
 */
import { getConnInfo, serveStatic } from "hono/deno";
import { openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import type { AppEnv } from "./context.ts";
import type { Context } from "hono";
import { lineLog } from "./lib/line_log.ts";
import { ensurePortFree } from "./lib/port_check.ts";
import { spaFallback } from "./middleware/spa.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { startReaper } from "./services/jobs/reaper.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

/** Threads of one edge process share claim wake-ups under this name. */
const DISPATCH_CHANNEL = "movie-director-claims";

export async function serveEdge(
  config: Config,
  thread: { primary: boolean; port: number },
): Promise<{ port: number }> {
  // Threads of this edge share the port; another process's listener must not (lib/port_check.ts).
  if (thread.primary) ensurePortFree("127.0.0.1", thread.port, "PORT");
  // One JSON line per request on stdout, written a turn's worth at a time (lib/line_log.ts).
  const log = lineLog((bytes) => Deno.stdout.writeSync(bytes));
  const db = await openDatabase({
    url: config.DATABASE_URL,
    ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
    // The primary thread migrated the database before the others started.
    migrate: thread.primary,
    ...(thread.primary ? { backgroundCheckpoints: { intervalMs: 200, log } } : {}),
  });
  const threaded = config.EDGE_THREADS > 1;
  const deps = {
    db,
    config,
    notifier: httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log),
    storage: createBlobStore(config, Date.now),
    dispatcher: createDispatcher(threaded ? DISPATCH_CHANNEL : undefined),
    now: Date.now,
    clientAddress: (c: Context<AppEnv>) => getConnInfo(c).remote.address,
    log,
  };
  const app = createApp(deps, { web: spaFallback(config.WEB_DIST, serveStatic) });
  // Expired leases go back to the queue even when no request arrives.
  if (thread.primary) startReaper(deps, config.REAPER_INTERVAL_MS, new AbortController().signal);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: thread.port,
    reusePort: threaded,
    onListen: () => {},
  }, app.fetch);
  return { port: server.addr.port };
}
