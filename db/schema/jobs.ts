/**
 * Bring-your-own-GPU: agents (enrolled machines), the job queue with its event history, and
 * takes (immutable outputs in object storage). Agent secrets and enrollment tokens are stored
 * only as SHA-256 hashes.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { JobFootprint } from "../../protocol/fleet.ts";
import type { AgentProfile, JobProgress, JobState, MediaFacts } from "../../protocol/jobs.ts";
import type { Backend } from "../../protocol/nodes.ts";
import type { Tier } from "../../protocol/tiers.ts";
import type { WorkflowAssetParams, WorkflowFile } from "../../protocol/workflows/binding.ts";
import { users } from "./accounts.ts";
import { projects } from "./projects.ts";

export const agents = sqliteTable("agents", {
  id: text("id").primaryKey(),
  ownerId: text("owner_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /**
   * The pool it enrolled into (db/schema/fleet.ts): its owner's personal pool (the owner's id)
   * or a studio's. Set for every agent; nullable only because SQLite adds a column that way.
   */
  poolId: text("pool_id"),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull(),
  profile: text("profile", { mode: "json" }).$type<AgentProfile>().notNull(),
  /**
   * Derived from the profile at every heartbeat so the claim can match in plain SQL: the
   * largest GPU's total VRAM, the healthy backends, and the models those backends hold.
   */
  maxVramMiB: integer("max_vram_mib").notNull(),
  healthyBackends: text("healthy_backends", { mode: "json" }).$type<Backend[]>().notNull(),
  models: text("models", { mode: "json" }).$type<string[]>().notNull(),
  /** The `nodeType:tier` pairs its healthy backends can run now (what a claim is offered). */
  runnable: text("runnable", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** A digest of the derived columns: a job this agent handed back as `cannotRun` is not offered to it again while this stays the same. */
  capabilityHash: text("capability_hash").notNull().default(""),
  concurrency: integer("concurrency").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
  /**
   * Since when it drains (told to stop; finishing what it holds, claiming nothing more), from
   * its heartbeats; null when it takes work. A draining agent is not counted as available:
   * matching, `/metrics` and the autoscalers' answer leave it out.
   */
  drainingSince: integer("draining_since"),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
}, (t) => [index("agents_owner_idx").on(t.ownerId), index("agents_pool_idx").on(t.poolId)]);

/**
 * Single use and short-lived (`usedAt` is set by the one statement that redeems it), or, for a
 * pool's autoscaled agents, `reusable` until it expires or is revoked (`uses` counts them).
 */
export const enrollmentTokens = sqliteTable("enrollment_tokens", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** The pool the agent joins; null: the user's personal pool. */
  poolId: text("pool_id"),
  reusable: integer("reusable", { mode: "boolean" }).notNull().default(false),
  uses: integer("uses").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  revokedAt: integer("revoked_at"),
  agentId: text("agent_id"),
});

/**
 * What a job reads, resolved when it was queued (and kept as its lineage): an upstream node's
 * selected take, or the version of a library asset linked to the node, with the reference image
 * it feeds to an image socket. Names are recorded as they were then (takes and asset versions
 * never change). Jobs queued before names were recorded hold only `socket` and `takeId`.
 */
export type JobInputRow =
  | { socket: string; takeId: string; nodeId?: string; name?: string }
  | {
    socket: string;
    asset: {
      id: string;
      type: string;
      version: number;
      name: string;
      /** The reference image fed to the socket (an image socket), if the version has one. */
      imageKey?: string;
    };
  };

/**
 * The workflow asset a job runs instead of the built-in templates, frozen when it was queued:
 * the asset's version, its stored file and the mapping of that version (versions never change,
 * so this is what ran, whatever the asset becomes). Also the take's lineage.
 */
export interface JobWorkflow {
  assetId: string;
  version: number;
  name: string;
  file: WorkflowFile;
  binding: WorkflowAssetParams["binding"];
}

/**
 * The Docker model config asset a job runs instead of the agents' own backends, frozen at the
 * version it was queued with: the config itself travels (it is small), checked again by the agent.
 */
export interface JobModelConfig {
  assetId: string;
  version: number;
  name: string;
  config: Record<string, unknown>;
}

export const jobs = sqliteTable("jobs", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  nodeId: text("node_id").notNull(),
  nodeType: text("node_type").notNull(),
  params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  inputs: text("inputs", { mode: "json" }).$type<JobInputRow[]>().notNull(),
  /**
   * The graph revision the job was queued from (lineage): the room stored its live graph as
   * this revision just before. Null for jobs queued before it was recorded.
   */
  graphRevision: integer("graph_revision"),
  /** The workflow asset it runs (ComfyUI); null: the agents' own templates choose. */
  workflow: text("workflow", { mode: "json" }).$type<JobWorkflow>(),
  modelConfig: text("model_config", { mode: "json" }).$type<JobModelConfig>(),
  tier: text("tier").$type<Tier>().notNull(),
  /** What the user asked for; differs from `tier` after a downgrade (see `rationale`). */
  requestedTier: text("requested_tier").$type<Tier>().notNull(),
  allowDowngrade: integer("allow_downgrade", { mode: "boolean" }).notNull(),
  rationale: text("rationale"),
  /** Requirements, as columns the claim statement matches on. */
  backends: text("backends", { mode: "json" }).$type<Backend[]>().notNull(),
  minVramMiB: integer("min_vram_mib").notNull(),
  /** Where `minVramMiB` came from: the declared footprint or a learned one. Null before pools. */
  footprint: text("footprint", { mode: "json" }).$type<JobFootprint>(),
  models: text("models", { mode: "json" }).$type<string[]>().notNull(),
  priority: integer("priority").notNull().default(0),
  state: text("state").$type<JobState>().notNull(),
  /** The number of the current (or last) run; 0 until first leased. */
  attempt: integer("attempt").notNull().default(0),
  maxAttempts: integer("max_attempts").notNull(),
  /**
   * Runs that ended because the agent's backend went away or restarted: they spend no attempt,
   * but a job that brings its backend down every time must still end (JOB_MAX_INFRA_FAILURES).
   */
  infraFailures: integer("infra_failures").notNull().default(0),
  leaseAgentId: text("lease_agent_id"),
  leaseExpiresAt: integer("lease_expires_at"),
  progress: text("progress", { mode: "json" }).$type<JobProgress>(),
  error: text("error"),
  idempotencyKey: text("idempotency_key"),
  /** SHA-256 of the generate request, so a reused Idempotency-Key with another body is refused. */
  requestHash: text("request_hash"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  startedAt: integer("started_at"),
  finishedAt: integer("finished_at"),
}, (t) => [
  // The claim walks queued jobs by priority then age.
  index("jobs_queue_idx").on(t.state, sql`${t.priority} desc`, t.createdAt),
  index("jobs_lease_idx").on(t.state, t.leaseExpiresAt),
  // The claim counts an agent's active leases: (agent, state) answers that from the index alone;
  // tier and VRAM let `/metrics` group the jobs agents hold from the index too (fleet_state.ts).
  index("jobs_agent_state_idx").on(t.leaseAgentId, t.state, t.tier, t.minVramMiB),
  // Queued jobs only, in the groups `/metrics` and the scaling answer count (fleet_state.ts):
  // an entry is written at enqueue and removed at the claim, nothing later.
  index("jobs_queued_groups_idx").on(t.projectId, t.tier, t.minVramMiB, t.nodeType, t.createdAt)
    .where(sql`state = 'queued'`),
  index("jobs_project_idx").on(t.projectId, t.createdAt),
  index("jobs_node_idx").on(t.projectId, t.nodeId),
  uniqueIndex("jobs_idempotency_idx").on(t.projectId, t.idempotencyKey)
    .where(sql`idempotency_key is not null`),
]);

/** Every state transition of every job, in order. */
export const jobEvents = sqliteTable("job_events", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  jobId: text("job_id").notNull().references(() => jobs.id, { onDelete: "cascade" }),
  fromState: text("from_state").$type<JobState>(),
  toState: text("to_state").$type<JobState>().notNull(),
  attempt: integer("attempt").notNull(),
  agentId: text("agent_id"),
  /** Who or what caused it: `user:<id>`, `agent:<id>`, `reaper`. */
  actor: text("actor").notNull(),
  message: text("message").notNull(),
  at: integer("at").notNull(),
}, (t) => [index("job_events_job_idx").on(t.jobId, t.id)]);

/**
 * Jobs an agent handed back because it cannot run them (`release` with `cannotRun`): not offered
 * to that agent again while its capability hash is the one it had then. One row per job and agent.
 */
export const jobRefusals = sqliteTable("job_refusals", {
  jobId: text("job_id").notNull().references(() => jobs.id, { onDelete: "cascade" }),
  agentId: text("agent_id").notNull().references(() => agents.id, { onDelete: "cascade" }),
  capabilityHash: text("capability_hash").notNull(),
  reason: text("reason").notNull(),
  at: integer("at").notNull(),
}, (t) => [primaryKey({ columns: [t.jobId, t.agentId] })]);

/** The latest preview frame of a running job, kept apart so job rows stay small. */
export const jobPreviews = sqliteTable("job_previews", {
  jobId: text("job_id").primaryKey().references(() => jobs.id, { onDelete: "cascade" }),
  contentType: text("content_type").notNull(),
  base64: text("base64").notNull(),
  at: integer("at").notNull(),
});

/**
 * Outputs. A take is `pending` from the moment its number is allocated until the job completes
 * and the object was found in storage with the declared size; then `ready` and never changed.
 * Its object key is derived from the numbering columns (services/jobs/take_numbers.ts), which
 * the unique index keeps unique. Numbers count per node: each node files its takes of a
 * scene/shot/version under its own `variant` letter (see take_numbers.ts). A cut's render is a
 * take too, filed under the reserved scene `CUTS` with the cut's name as its shot and the
 * render's number as its version (services/jobs/renders.ts).
 */
export const takes = sqliteTable("takes", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  nodeId: text("node_id").notNull(),
  jobId: text("job_id").notNull().references(() => jobs.id, { onDelete: "cascade" }),
  agentId: text("agent_id"),
  state: text("state", { enum: ["pending", "ready"] }).notNull(),
  scene: text("scene").notNull(),
  shot: text("shot").notNull(),
  version: integer("version").notNull(),
  /**
   * "" for the first node to file takes under this scene/shot/version, "B", "C"... for others
   * (`SHOT-010B_v01_take01.mp4`): one node's series of takes, numbered on its own.
   */
  variant: text("variant").notNull().default(""),
  take: integer("take").notNull(),
  ext: text("ext").notNull(),
  contentType: text("content_type").notNull(),
  bytes: integer("bytes"),
  sha256: text("sha256"),
  nodeType: text("node_type").notNull(),
  tier: text("tier").$type<Tier>().notNull(),
  template: text("template"),
  seed: integer("seed"),
  params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  /** ffprobe's facts about a video take or render, as the agent sent them; null if unknown. */
  media: text("media", { mode: "json" }).$type<MediaFacts>(),
  /** Size of the poster frame stored beside the take (takes.ts `posterKey`); null: none. */
  posterBytes: integer("poster_bytes"),
  createdAt: integer("created_at").notNull(),
  completedAt: integer("completed_at"),
}, (t) => [
  uniqueIndex("takes_number_idx").on(t.projectId, t.scene, t.shot, t.version, t.variant, t.take),
  index("takes_node_idx").on(t.projectId, t.nodeId, t.state),
  index("takes_job_idx").on(t.jobId),
  // "What's new" (services/review/whats_new.ts) reads a project's takes finished since a time.
  index("takes_project_completed_idx").on(t.projectId, t.completedAt, t.state),
]);

/**
 * Selects: the take chosen ("circled") for each node, with who chose it and when. A node without
 * a row plays its newest ready take (services/jobs/selects.ts). One row per node; choosing again
 * replaces it.
 */
export const takeSelects = sqliteTable("take_selects", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  nodeId: text("node_id").notNull(),
  takeId: text("take_id").notNull().references(() => takes.id, { onDelete: "cascade" }),
  selectedBy: text("selected_by").references(() => users.id, { onDelete: "set null" }),
  selectedAt: integer("selected_at").notNull(),
}, (t) => [primaryKey({ columns: [t.projectId, t.nodeId] })]);
