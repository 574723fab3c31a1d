/** The database: schema, the shared handle type, and (on Deno) opening with migrations. */
export * from "./schema/mod.ts";
export type { Database } from "./database.ts";
