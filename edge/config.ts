/**
 * The edge's settings, read from the environment once and validated, with embedded defaults so
 * `deno task dev` needs nothing. Workers pass their `env` bindings through the same parser.
 */
import { z } from "zod";

const configSchema = z.object({
  DATABASE_URL: z.string().min(1).default("file:.data/app.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** The origin browsers use to reach the edge (CSRF checks and absolute URLs). */
  PUBLIC_URL: z.url().default("http://127.0.0.1:8787"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Shared with the room server: signs room tickets and authenticates room↔edge calls. */
  ROOM_SECRET: z.string().min(16, "ROOM_SECRET must be at least 16 characters"),
  /** Where the room server listens (browsers connect to it, the edge posts events to it). */
  ROOM_URL: z.url().default("http://127.0.0.1:1999"),
  SESSION_DAYS: z.coerce.number().positive().default(30),
  /** Largest JSON body accepted from browsers and agents, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Largest graph snapshot the room may store, in bytes. */
  MAX_GRAPH_BYTES: z.coerce.number().int().positive().default(8 * 1024 * 1024),
  /** Folder of the built web app served at `/` (Deno only). */
  WEB_DIST: z.string().default("web/dist"),
});

export type Config = z.infer<typeof configSchema>;

/** Parses settings; throws one readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}
