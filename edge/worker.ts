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
import { httpRoomNotifier, type RoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

type Bindings = Record<string, string | undefined>;

interface WorkerApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  notifier: RoomNotifier;
}

let cached: WorkerApp | undefined;

function appFor(env: Bindings): WorkerApp {
  if (cached) return cached;
  const config = loadConfig(env);
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
  const client = createClient({
    url: config.DATABASE_URL,
    ...(config.DATABASE_AUTH_TOKEN ? { authToken: config.DATABASE_AUTH_TOKEN } : {}),
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  const notifier = httpRoomNotifier(config.ROOM_URL, config.ROOM_SECRET, log);
  const app = createApp({
    db,
    config,
    notifier,
    storage: createBlobStore(config, Date.now),
    dispatcher: createDispatcher(),
    now: Date.now,
    clientAddress: (c) => c.req.header("cf-connecting-ip"),
    log,
  });
  cached = { app, config, notifier };
  return cached;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const { app, notifier } = appFor(env);
    const response = await app.fetch(request, env, ctx as never);
    // Room events are sent after the answer; Workers would cancel them without this.
    ctx.waitUntil(notifier.drained());
    return response;
  },
};
