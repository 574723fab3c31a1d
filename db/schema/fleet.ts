/**
 * Fleets: studios (teams), the pools of agents they and users own, which projects a pool may
 * serve, what each run taught us about footprints and durations, and the counters `/metrics`
 * reports.
 *
 * The model, smallest that works:
 * - A **studio** is a named group of people (`studio_members`, admin or member). It owns pools;
 *   it does not own projects (a project still has an owner and members).
 * - A **pool** belongs to a studio (any number, named) or to one user (their *personal pool*,
 *   exactly one, whose id is the user's id: the default "agents of the owner and editors" is
 *   then "the pools whose id is an owner's or editor's id", with no lookup).
 * - A project with no rows in `project_pools` is served by the personal pools of its owners and
 *   editors (as before pools); with rows, by exactly those pools. Only the project's owner
 *   writes the list, and only with pools they may use (their own, their studios'), so a
 *   studio's pool never serves a project no member of that studio chose to send to it.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { Tier } from "../../protocol/tiers.ts";
import { users } from "./accounts.ts";
import { projects } from "./projects.ts";

/**
 * People join a studio with its join code (an admin makes one; a new one replaces it), never by
 * being added by email, which would tell whether the email has an account.
 */
export const studios = sqliteTable("studios", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** SHA-256 of the current join code; null: nobody can join. */
  joinCodeHash: text("join_code_hash").unique(),
  createdAt: integer("created_at").notNull(),
});

export const studioMembers = sqliteTable("studio_members", {
  studioId: text("studio_id").notNull().references(() => studios.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** admin: pools, their policies and tokens, the studio's members; member: may use its pools. */
  role: text("role", { enum: ["admin", "member"] }).notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.studioId, t.userId] }),
  index("studio_members_user_idx").on(t.userId),
]);

export const pools = sqliteTable("pools", {
  /** A personal pool's id is its owner's user id; a studio pool's is its own. */
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Exactly one of studioId and ownerId is set. */
  studioId: text("studio_id").references(() => studios.id, { onDelete: "cascade" }),
  ownerId: text("owner_id").references(() => users.id, { onDelete: "cascade" }),
  // The scaling policy (services/fleet/scaling.ts reads it).
  minAgents: integer("min_agents").notNull().default(0),
  maxAgents: integer("max_agents").notNull().default(10),
  /** How long a queued job should wait at most; the desired count drains the queue in this. */
  targetWaitS: integer("target_wait_s").notNull().default(120),
  /** After the last work, agents are kept this long before the desired count falls. */
  scaleDownIdleS: integer("scale_down_idle_s").notNull().default(300),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
}, (t) => [
  index("pools_studio_idx").on(t.studioId),
  uniqueIndex("pools_studio_name_idx").on(t.studioId, sql`lower(${t.name})`)
    .where(sql`studio_id is not null`),
]);

/**
 * Tokens for a pool's autoscalers (`GET /api/pools/:id/scaling` with `Authorization: Bearer`):
 * named, listed without their secret (stored as SHA-256), each revoked on its own (its row
 * deleted), so a KEDA cluster and a test scaler can each hold one and lose only theirs.
 */
export const poolScalingTokens = sqliteTable("pool_scaling_tokens", {
  id: text("id").primaryKey(),
  poolId: text("pool_id").notNull().references(() => pools.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
  /** When it last opened the pool's scaling answer (written at most once a minute). */
  lastUsedAt: integer("last_used_at"),
}, (t) => [index("pool_scaling_tokens_pool_idx").on(t.poolId, t.createdAt)]);

/** The pools chosen to run a project's jobs (none: its owners' and editors' personal pools). */
export const projectPools = sqliteTable("project_pools", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  poolId: text("pool_id").notNull().references(() => pools.id, { onDelete: "cascade" }),
  grantedBy: text("granted_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.projectId, t.poolId] }),
  index("project_pools_pool_idx").on(t.poolId),
]);

/**
 * One row per successful run: how long it held its agent (lease to completion) and, when the
 * agent could sample it, the peak GPU memory. Learned footprints and durations
 * (services/fleet/footprints.ts) are read from the newest rows of a key.
 */
export const jobRuns = sqliteTable("job_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  jobId: text("job_id").notNull(),
  /** What is learned about: `nodeType:tier` (its template), or a workflow asset's key. */
  footprintKey: text("footprint_key").notNull(),
  nodeType: text("node_type").notNull(),
  tier: text("tier").$type<Tier>().notNull(),
  /** The template the agent reported, "" if none. */
  template: text("template").notNull(),
  /** The agent's VRAM class: its largest GPU as sold ("24GB"), "cpu" without one. */
  gpuClass: text("gpu_class").notNull(),
  poolId: text("pool_id"),
  peakVramMiB: integer("peak_vram_mib"),
  runMs: integer("run_ms").notNull(),
  at: integer("at").notNull(),
}, (t) => [index("job_runs_key_idx").on(t.footprintKey, t.id)]);

/**
 * Prometheus counters, kept in the database so every edge thread and isolate counts into the
 * same numbers: `name` and its rendered `labels` (`pool="…",tier="high"`) → value. Claims,
 * completions, expiries and dead letters are counted by the `fleet_event_counts` trigger on
 * `job_events` (db/migrations), durations by completion (services/fleet/counters.ts).
 */
export const fleetCounters = sqliteTable("fleet_counters", {
  name: text("name").notNull(),
  labels: text("labels").notNull(),
  value: real("value").notNull(),
}, (t) => [primaryKey({ columns: [t.name, t.labels] })]);
