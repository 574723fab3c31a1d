/**
 * The edge's settings, read from the environment once and validated, with embedded defaults so
 * `deno task dev` needs nothing. Workers pass their `env` bindings through the same parser.
 */
import { z } from "zod";
import { MAX_GRAPH_BYTES } from "../protocol/graph.ts";

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
  /** Largest graph snapshot the room may store, in bytes (rooms keep their graphs under it). */
  MAX_GRAPH_BYTES: z.coerce.number().int().positive().default(MAX_GRAPH_BYTES),
  /** Folder of the built web app served at `/` (Deno only). */
  WEB_DIST: z.string().default("web/dist"),
  /**
   * Threads serving HTTP on Deno (`deno serve --parallel`, edge/start.ts), each with its own
   * connection to the database; unset, one per core up to 4. (Workers ignore it: the platform
   * runs as many isolates as it needs.)
   */
  EDGE_THREADS: z.coerce.number().int().min(1).max(32).default(
    Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1),
  ),

  // Jobs and agents.
  /** How long a claimed job stays leased without an event from its agent. */
  LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often agents heartbeat; three missed intervals mark an agent offline. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(1000).default(15_000),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Runs a job may lose to its agent's backend going away before it fails (attempts unspent). */
  JOB_MAX_INFRA_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** A waiting claim re-reads the database this often, for jobs queued by other edge instances. */
  CLAIM_RECHECK_MS: z.coerce.number().int().min(10).default(1000),
  /** How often the reaper returns expired leases to the queue (each serving thread's). */
  REAPER_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),

  /**
   * Bearer token for `GET /metrics` and every pool's `GET /api/pools/:id/scaling` (Prometheus,
   * KEDA); unset, they answer 401 (a pool's own scaling token still works for its pool).
   */
  METRICS_TOKEN: z.string().min(24, "METRICS_TOKEN must be at least 24 characters").optional(),

  // Object storage for takes.
  /** `local`: files under BLOB_DIR served by the edge through signed URLs; `s3`: a bucket. */
  BLOB_STORE: z.enum(["local", "s3"]).default("local"),
  BLOB_DIR: z.string().min(1).default(".data/blobs"),
  /**
   * Signs local blob URLs. Unset, a key is derived from ROOM_SECRET (HMAC with a fixed label),
   * so signed URLs survive restarts without one more secret to manage in development.
   */
  BLOB_SECRET: z.string().min(16, "BLOB_SECRET must be at least 16 characters").optional(),
  /** Lifetime of upload (PUT) and download (GET) URLs, in seconds. */
  UPLOAD_URL_TTL_S: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(900),
  DOWNLOAD_URL_TTL_S: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(3600),
  /**
   * Lifetime of download URLs handed to share-link guests (HTTP and room): a URL outlives the
   * link's revocation by at most this long.
   */
  GUEST_DOWNLOAD_URL_TTL_S: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(600),
  /** Largest file accepted by the local store, in bytes. */
  MAX_BLOB_BYTES: z.coerce.number().int().positive().default(8 * 1024 ** 3),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** For S3-compatible stores (R2, MinIO, s3rver); unset for AWS. */
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
}).refine((c) => c.BLOB_STORE !== "s3" || c.S3_BUCKET, {
  path: ["S3_BUCKET"],
  message: "S3_BUCKET is required when BLOB_STORE=s3",
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

/**
 * Settings for Cloudflare Workers: the same parser, plus what cannot work there (no file system:
 * no `file:` database, no local blob folder). Throws naming the setting, so `wrangler dev` and a
 * deploy refuse to start instead of failing on the first request. An unset DATABASE_URL is not
 * refused: the edge then answers that the database is not configured (see `/readyz`).
 */
export function loadWorkerConfig(
  env: Record<string, unknown>,
): { config: Config; databaseConfigured: boolean } {
  const strings = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const problems: string[] = [];
  if (strings.DATABASE_URL?.startsWith("file:")) {
    problems.push(
      "  DATABASE_URL: a file: database cannot work on Workers (no file system): use Turso (libsql://…)",
    );
  }
  if ((strings.BLOB_STORE ?? "local") === "local") {
    problems.push(
      "  BLOB_STORE: the local blob folder cannot work on Workers: set BLOB_STORE=s3 and S3_BUCKET",
    );
  }
  if (problems.length > 0) throw new Error(`invalid environment:\n${problems.join("\n")}`);
  return { config: loadConfig(strings), databaseConfigured: strings.DATABASE_URL !== undefined };
}
