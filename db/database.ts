/** The database handle type shared by every runtime (Deno's native libSQL and Workers' web client). */
import type { Client } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema/mod.ts";

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };
