/**
 * Opens the database from a URL: `file:` for the embedded default, `libsql://` for Turso.
 * Runtimes that have a file system (Deno) also apply pending migrations here.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ url: "file:.data/app.db" });
 * ```
 */
import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "./schema/mod.ts";
import type { Database } from "./database.ts";
import { FALLBACK_CHECKPOINT_PAGES } from "./checkpointer.ts";
import { openFileClient } from "./file_client.ts";

export type { Database } from "./database.ts";

export interface DatabaseOptions {
  url: string;
  authToken?: string;
  /** Apply pending migrations (default); off for a connection opened after one that did. */
  migrate?: boolean;
  /** Another connection checkpoints the log (db/checkpointer.ts); this one only as a fallback. */
  checkpointedElsewhere?: boolean;
  /**
   * A local file through the stock `@libsql/client`, which prepares every statement on every
   * call, instead of file_client.ts: the route tests run once this way (stock_client_test.ts).
   */
  stockClient?: boolean;
}

const BUSY_TIMEOUT_MS = 5000;
const PAGE_CACHE_KIB = 64 * 1024;
const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.url.startsWith("file:");
  const path = embedded ? await embeddedPath(options.url) : "";
  const client: Client = embedded && !options.stockClient
    ? openFileClient(path, { timeoutMs: BUSY_TIMEOUT_MS })
    : createClient({
      url: options.url,
      ...(options.authToken ? { authToken: options.authToken } : {}),
      // One connection for a file, as file_client.ts has: the pragmas below are per connection.
      ...(embedded ? { concurrency: 1, timeout: BUSY_TIMEOUT_MS } : {}),
    });
  if (embedded) {
    // WAL lets readers in other processes proceed while one writer commits. NORMAL sync in WAL
    // mode is still safe against corruption; a power cut can lose only the last commits. (Both
    // this and foreign_keys are per connection: the client has exactly one.)
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
    // The default page cache is 2 MiB: a studio's working set (graphs, assets, sessions) is
    // larger, and every miss is a read() system call on the request's path.
    await client.execute(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
    // A burst of writes can grow the log file; it is cut back to this when the log restarts.
    await client.execute(`PRAGMA journal_size_limit = ${64 * 1024 * 1024}`);
    if (options.checkpointedElsewhere) {
      await client.execute(`PRAGMA wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    }
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema });
  if (options.migrate ?? true) await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

/** The file behind a `file:` URL, with its folder created. */
async function embeddedPath(url: string): Promise<string> {
  const path = decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  return path;
}
