/**
 * Deno entry: opens the database (migrating it), serves the API and the built web app.
 * `deno run -A edge/main.ts`; settings come from the environment (see edge/config.ts).
 */
import { serveStatic } from "hono/deno";
import { openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { lineLog } from "./lib/line_log.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { startReaper } from "./services/jobs/reaper.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";
import { spaFallback } from "./middleware/spa.ts";

const config = loadConfig(Deno.env.toObject());
// One JSON line per request on stdout, written a turn's worth at a time (lib/line_log.ts).
const log = lineLog((bytes) => Deno.stdout.writeSync(bytes));
const db = await openDatabase({
  url: config.DATABASE_URL,
  ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
  backgroundCheckpoints: { intervalMs: 200, log },
});
const deps = {
  db,
  config,
  notifier: httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log),
  storage: createBlobStore(config, Date.now),
  dispatcher: createDispatcher(),
  now: Date.now,
  log,
};
const app = createApp(deps, { web: spaFallback(config.WEB_DIST, serveStatic) });
// Expired leases go back to the queue even when no request arrives.
startReaper(deps, config.REAPER_INTERVAL_MS, new AbortController().signal);

Deno.serve({
  hostname: "127.0.0.1",
  port: config.PORT,
  onListen: ({ hostname, port }) =>
    console.log(`Movie Director edge on http://${hostname}:${port}`),
}, app.fetch);
