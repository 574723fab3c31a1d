/**
 * Deno entry: opens the database (migrating it), serves the API and the built web app.
 * `deno run -A edge/main.ts`; settings come from the environment (see edge/config.ts).
 */
import { serveStatic } from "hono/deno";
import { openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { spaFallback } from "./middleware/spa.ts";

const config = loadConfig(Deno.env.toObject());
const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
const db = await openDatabase({
  url: config.DATABASE_URL,
  ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
});
const app = createApp({
  db,
  config,
  notifier: httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log),
  now: Date.now,
  log,
}, { web: spaFallback(config.WEB_DIST, serveStatic) });

Deno.serve({
  hostname: "127.0.0.1",
  port: config.PORT,
  onListen: ({ hostname, port }) => console.log(`Movie Director edge on http://${hostname}:${port}`),
}, app.fetch);
