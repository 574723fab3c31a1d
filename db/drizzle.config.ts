/**
 * drizzle-kit: `deno task db:generate` writes a migration after a schema change; `deno task
 * db:migrate` applies pending ones to DATABASE_URL (with DATABASE_AUTH_TOKEN for Turso), as a
 * Workers deployment needs before it serves (the Deno edge's `deno task start` migrates before it serves).
 */
import process from "node:process";
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: "./db/schema/mod.ts",
  out: "./db/migrations",
  dbCredentials: {
    url: process.env.DATABASE_URL ?? "file:.data/app.db",
    ...(process.env.DATABASE_AUTH_TOKEN ? { authToken: process.env.DATABASE_AUTH_TOKEN } : {}),
  },
});
