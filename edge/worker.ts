/**
 * Cloudflare Workers entry: the same app over libSQL's HTTP client (Turso). Workers have no file
 * system, so migrations are applied before deploy (`deno task db:migrate` against the Turso URL)
 * and the web app is served by Workers static assets (see wrangler.toml).
 */
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "../db/schema/mod.ts";
import type { Database } from "../db/database.ts";
import { createApp } from "./app.ts";
import { type Config, loadConfig } from "./config.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

type Bindings = Record<string, string | undefined>;

let cached: { app: ReturnType<typeof createApp>; config: Config } | undefined;

function appFor(env: Bindings) {
  if (cached) return cached.app;
  const config = loadConfig(env);
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
  const client = createClient({
    url: config.DATABASE_URL,
    ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  const app = createApp({
    db,
    config,
    notifier: httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log),
    storage: createBlobStore(config, Date.now),
    dispatcher: createDispatcher(),
    now: Date.now,
    log,
  });
  cached = { app, config };
  return app;
}

export default {
  fetch(request: Request, env: Bindings, ctx: unknown): Response | Promise<Response> {
    return appFor(env).fetch(request, env, ctx as never);
  },
};
