/**
 * Cloudflare Workers entry: the same app over libSQL's HTTP client (Turso). Workers have no file
 * system, so migrations are applied before deploy (`DATABASE_URL=libsql://… deno task db:migrate`)
 * and the web app is served by Workers static assets (see wrangler.toml). Settings are checked
 * when the module loads, so a misconfigured deployment refuses to start, naming the setting.
 */
import { type Client, createClient } from "@libsql/client/web";
// The bindings as a module (Workers runtime), so settings are checked when the module loads.
import * as workers from "cloudflare:workers";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "../db/schema/mod.ts";
import type { Database } from "../db/database.ts";
import { createApp } from "./app.ts";
import { loadWorkerConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { httpRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

const { env } = workers as unknown as { env: Record<string, unknown> };
const { config, databaseConfigured } = loadWorkerConfig(env);
const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

/** Stands in for the database when DATABASE_URL is unset: every use answers 503, saying so. */
function unconfiguredDatabase(): Client {
  const refuse = () => {
    throw new ApiError(
      503,
      "database_not_configured",
      "DATABASE_URL is not set: point it at the Turso database (libsql://…) and set DATABASE_AUTH_TOKEN",
    );
  };
  // Not a thenable (`then` stays undefined), and never closed: every method refuses.
  return new Proxy({} as Client, {
    get: (_, name) => (name === "then" ? undefined : name === "closed" ? false : refuse),
  });
}

const client = databaseConfigured
  ? createClient({
    url: config.DATABASE_URL,
    ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
  })
  : unconfiguredDatabase();
const notifier = httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log);
const app = createApp({
  db: drizzle(client, { schema }) as unknown as Database,
  config,
  notifier,
  storage: createBlobStore(config, Date.now),
  dispatcher: createDispatcher(),
  now: Date.now,
  clientAddress: (c) => c.req.header("cf-connecting-ip"),
  log,
});

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, bindings: unknown, ctx: ExecutionContext): Promise<Response> {
    const response = await app.fetch(request, bindings as never, ctx as never);
    // Room events are sent after the answer; Workers would cancel them without this.
    ctx.waitUntil(notifier.drained());
    return response;
  },
};
