/**
 * Fleets as the API shows them: studios and pools (names, scaling policies), the pools a project
 * runs on, what a job's VRAM requirement was based on, a queued job's ETA, and the scaling
 * answer autoscalers read (`GET /api/pools/:id/scaling`, deploy/keda/scaledobject.yaml).
 */
import { z } from "zod";
import type { Tier } from "./tiers.ts";

/** Studio and pool names: what people type, shown in messages ("no agent of pool Render Farm"). */
export const fleetNameSchema = z.string().trim().min(1, "name is required").max(80)
  // deno-lint-ignore no-control-regex
  .regex(/^[^\x00-\x1f\x7f]*$/, "no control characters");

/** Per-pool scaling policy; every field optional on update, checked together (min ≤ max). */
export const poolPolicyFields = {
  minAgents: z.number().int().min(0).max(10_000),
  maxAgents: z.number().int().min(0).max(10_000),
  /** The longest a queued job should wait; the desired count drains the queue in this. */
  targetWaitS: z.number().int().min(1, "targetWaitS must be positive").max(86_400),
  /** After the last work, keep the agents this long before the desired count falls. */
  scaleDownIdleS: z.number().int().min(0).max(86_400),
};
export type PoolPolicy = { [K in keyof typeof poolPolicyFields]: number };

const minNotAboveMax = (p: { minAgents?: number | undefined; maxAgents?: number | undefined }) =>
  p.minAgents === undefined || p.maxAgents === undefined || p.minAgents <= p.maxAgents;
const minMaxIssue = { path: ["minAgents"], message: "minAgents must not be above maxAgents" };

export const createPoolSchema = z.object({
  name: fleetNameSchema,
  studioId: z.uuid({ message: "not a valid id" }),
  ...z.object(poolPolicyFields).partial().shape,
}).strict().refine(minNotAboveMax, minMaxIssue);

export const updatePoolSchema = z.object({
  name: fleetNameSchema,
  ...poolPolicyFields,
}).partial().strict().refine(minNotAboveMax, minMaxIssue);

/** `POST /api/pools/:id/enrollment-tokens`: single use (15 min) or reusable for a fleet. */
export const poolTokenSchema = z.object({
  /** Reusable tokens let every container of an autoscaled deployment enroll itself. */
  reusable: z.boolean().default(false),
  /** Reusable tokens only: how long it works (default 30 days). */
  days: z.number().int().min(1).max(365).default(30),
}).strict();

/** `POST /api/pools/:poolId/scaling-tokens`: a name that says which autoscaler holds it. */
export const scalingTokenSchema = z.object({ name: fleetNameSchema }).strict();

/** `PUT /api/projects/:id/pools`: the pools that run the project's jobs; [] for the default. */
export const projectPoolsSchema = z.object({
  poolIds: z.array(z.uuid({ message: "not a valid id" })).max(20),
}).strict();

export const studioRoleSchema = z.enum(["admin", "member"]);
export type StudioRole = z.infer<typeof studioRoleSchema>;

/**
 * The VRAM a job needs and what the figure rests on: the node type's declared footprint, or
 * (after enough runs) the p95 of the peaks agents measured, plus a margin.
 */
export interface JobFootprint {
  source: "declared" | "learned";
  vramMiB: number;
  declaredMiB: number;
  /** Learned only: the p95 of the measured peaks, the runs it is taken over, the margin added. */
  p95PeakMiB?: number;
  samples?: number;
  marginMiB?: number;
}

/** A queued job's estimate: "~4 min: 2 ahead on 2 agents with 24 GB". */
export interface QueueEta {
  /** Until the job is done; null when no run time has been learned or no agent can run it. */
  seconds: number | null;
  /** Queued jobs before it that the same agents would take first. */
  ahead: number;
  /** Online agents that can run it. */
  agents: number;
  text: string;
}

/** One tier's answer in `GET /api/pools/:id/scaling`. */
export interface TierScaling {
  /** The agent count this tier wants now, within the pool's policy. */
  desired: number;
  queued: number;
  running: number;
  agents: { online: number; busy: number; idle: number };
  /** The learned run time used (median, seconds), null when none is known yet. */
  durationS: number | null;
  /** Why, in words: "12 queued × 90 s over a 120 s target wait → 9, plus 2 running". */
  reason: string;
}

export interface ScalingAnswer {
  pool: { id: string; name: string };
  policy: PoolPolicy;
  at: number;
  /** The sum over tiers. */
  desired: number;
  tiers: Record<Tier, TierScaling>;
}
