/**
 * Opens the database from a URL: `file:` for the embedded default, `libsql://` for Turso.
 * Runtimes that have a file system (Deno) also apply pending migrations here.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ url: "file:.data/app.db" });
 * ```
 */
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "./schema/mod.ts";
import type { Database } from "./database.ts";

export type { Database } from "./database.ts";

export interface DatabaseOptions {
  url: string;
  authToken?: string;
}

const BUSY_TIMEOUT_MS = 5000;
const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url.startsWith("file:")) await ensureParentFolder(options.url);
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    // The busy timeout is set per connection by the client's pool, so every pooled connection
    // waits out brief write contention instead of failing with SQLITE_BUSY.
    timeout: BUSY_TIMEOUT_MS,
  });
  if (options.url.startsWith("file:")) {
    // WAL lets readers proceed while one writer commits, and is a property of the file, so it
    // holds for every connection. NORMAL sync in WAL mode is still safe against corruption;
    // a power cut can lose only the last commits.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

async function ensureParentFolder(url: string): Promise<void> {
  const path = url.slice("file:".length);
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}
