/**
 * Queues a generation job for a node: validates the request against the node catalog and the
 * live graph (the room stores it first: services/live_graph.ts; the job records that
 * revision), resolves upstream takes and the workflow asset it runs (if it names one), computes
 * requirements, lowers the tier when no online agent could ever run it (if allowed; never for
 * a workflow, which has one tier), and wakes waiting claims. An `Idempotency-Key` makes a
 * retried request return the job the first one created.
 */
import { and, eq } from "drizzle-orm";
import { jobEvents, jobs } from "../../../db/schema/mod.ts";
import type { generateRequestSchema } from "../../../protocol/jobs.ts";
import {
  isExecutable,
  MODEL_CONFIG_VERSION_PARAM,
  NAMING_PARAMS,
  nodeType,
  WORKFLOW_VERSION_PARAM,
} from "../../../protocol/nodes.ts";
import { paramProblems } from "../../../protocol/param_rules.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type { z } from "zod";
import type { AppDeps } from "../../context.ts";
import { ApiError, conflict, notFound } from "../../errors.ts";
import { sha256Hex } from "../../lib/bytes.ts";
import { newId } from "../../lib/ids.ts";
import { onlineAgentsForProject } from "../agents.ts";
import { liveGraph } from "../live_graph.ts";
import { resolveInputs } from "./inputs.ts";
import { learnedNeeds } from "../fleet/footprints.ts";
import { modelConfigForJob } from "../model_config_assets.ts";
import { workflowForJob } from "../workflow_assets.ts";
import {
  chooseTier,
  modelConfigRequirements,
  type TierChoice,
  workflowRequirements,
} from "./matching.ts";
import type { JobRow } from "./transitions.ts";

export interface EnqueueRequest {
  projectId: string;
  nodeId: string;
  userId: string;
  body: z.output<typeof generateRequestSchema>;
  idempotencyKey?: string | undefined;
}

/** The job, and whether this call created it (false: an earlier call with the same key did). */
export async function enqueueJob(
  deps: AppDeps,
  request: EnqueueRequest,
): Promise<{ job: JobRow; created: boolean }> {
  const { projectId, nodeId, body } = request;
  const requestHash = await sha256Hex(JSON.stringify({ nodeId, body }));
  const earlier = await earlierJob(deps, projectId, request.idempotencyKey, requestHash);
  if (earlier) return { job: earlier, created: false };

  const def = nodeType(body.type);
  if (!def) throw invalid("type", `unknown node type "${body.type}"`);
  if (!isExecutable(def)) {
    throw invalid("type", `"${body.type}" nodes do not run; nothing to generate`);
  }
  const { revision, graph } = await liveGraph(deps, projectId);
  const node = graph.nodes[nodeId];
  if (!node) throw notFound(`node ${nodeId} in the project's graph`);
  if (node.type !== body.type) {
    throw invalid("type", `node ${nodeId} is a "${node.type}" node, not "${body.type}"`);
  }
  // The node's own parameters, as the room ordered its edits, unless the caller names others;
  // checked by the same rules, in the same words, as the studio and the room check them.
  const params = body.params ?? node.params;
  const problems = paramProblems(def.type, params);
  if (problems.length > 0) {
    throw invalidParams(problems.map((p) => ({ path: [p.key], message: p.message })));
  }
  const parsed = def.params.safeParse(params);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  if (!def.tiers.includes(body.tier)) {
    throw invalid("tier", `"${body.type}" runs at ${def.tiers.join(" or ")}, not ${body.tier}`);
  }
  const inputs = await resolveInputs(deps, projectId, graph, nodeId, def);
  // A node that runs a workflow asset runs it at the workflow's own tier: no other to lower to.
  // Either at the version the node pins ("Use these settings" of a take), or its newest.
  const { workflowAssetId: workflowId, modelConfigAssetId: modelConfigId } = parsed.data;
  const { workflowVersion, modelConfigVersion } = parsed.data;
  const lonePin = workflowVersion !== undefined && typeof workflowId !== "string"
    ? "workflowVersion"
    : modelConfigVersion !== undefined && typeof modelConfigId !== "string"
    ? "modelConfigVersion"
    : null;
  if (lonePin) {
    throw invalidParams([{
      path: [lonePin],
      message: "pins a version of an asset the node does not run: clear it",
    }]);
  }
  const workflow = typeof workflowId === "string"
    ? await workflowForJob(deps, projectId, workflowId, def, pinned(workflowVersion))
    : null;
  // A node that runs a model config asset runs it in Docker, at the tier asked for.
  if (workflow && typeof modelConfigId === "string") {
    throw invalidParams([{
      path: ["modelConfigAssetId"],
      message: "a node runs a workflow asset or a Docker model config, not both: clear one",
    }]);
  }
  const modelConfig = typeof modelConfigId === "string"
    ? await modelConfigForJob(
      deps,
      projectId,
      modelConfigId,
      def,
      body.tier,
      pinned(modelConfigVersion),
    )
    : null;
  const [online, needs] = await Promise.all([
    onlineAgentsForProject(deps, projectId),
    learnedNeeds(deps, def),
  ]);
  const choice: TierChoice = workflow
    ? {
      tier: workflow.tier,
      requirements: workflowRequirements(workflow.tier, workflow.binding.models),
      rationale: null,
    }
    : modelConfig
    ? {
      tier: body.tier,
      requirements: modelConfigRequirements(modelConfig.checked.vramMiB),
      rationale: null,
    }
    : chooseTier(def, body.tier, body.allowDowngrade, online, (t) => needs(t).requirements);
  return await insertJob(deps, {
    projectId,
    nodeId,
    nodeType: def.type,
    // The version that runs is the job's `workflow` or `modelConfig`, not a parameter.
    params: withoutPins(workflow ? ownValues(parsed.data, params) : parsed.data),
    inputs,
    graphRevision: revision,
    workflow: workflow && {
      assetId: workflow.assetId,
      version: workflow.version,
      name: workflow.name,
      file: workflow.file,
      binding: workflow.binding,
    },
    choice,
    modelConfig: modelConfig?.job ?? null,
    // A workflow's or model config's needs are its own, not what runs of the templates taught.
    footprint: workflow || modelConfig ? null : needs(choice.tier).footprint,
    requestedTier: workflow ? workflow.tier : body.tier,
    allowDowngrade: body.allowDowngrade,
    priority: body.priority,
    maxAttempts: body.maxAttempts,
    userId: request.userId,
    idempotencyKey: request.idempotencyKey,
    requestHash,
  });
}

/** A new job, validated by its caller. */
export interface NewJob {
  projectId: string;
  nodeId: string;
  nodeType: string;
  params: Record<string, unknown>;
  inputs: JobRow["inputs"];
  graphRevision: number | null;
  /** The workflow asset the job runs instead of the built-in templates, if any. */
  workflow?: JobRow["workflow"];
  /** The Docker model config asset the job runs instead of the agents' own backends, if any. */
  modelConfig?: JobRow["modelConfig"];
  choice: TierChoice;
  /** The footprint figure the job's VRAM need came from (learned or declared), if any. */
  footprint?: JobRow["footprint"];
  requestedTier: Tier;
  allowDowngrade: boolean;
  priority: number;
  maxAttempts: number | undefined;
  userId: string;
  idempotencyKey: string | undefined;
  requestHash: string;
}

/**
 * Stores a validated job as queued with its first event and wakes waiting claims. A retry that
 * raced another with the same Idempotency-Key gets the winner's job.
 */
export async function insertJob(
  deps: AppDeps,
  fields: NewJob,
): Promise<{ job: JobRow; created: boolean }> {
  const { choice } = fields;
  const now = deps.now();
  const job: JobRow = {
    id: newId(),
    projectId: fields.projectId,
    nodeId: fields.nodeId,
    nodeType: fields.nodeType,
    params: fields.params,
    inputs: fields.inputs,
    graphRevision: fields.graphRevision,
    workflow: fields.workflow ?? null,
    modelConfig: fields.modelConfig ?? null,
    tier: choice.tier,
    requestedTier: fields.requestedTier,
    allowDowngrade: fields.allowDowngrade,
    rationale: choice.rationale,
    backends: choice.requirements.backends,
    minVramMiB: choice.requirements.minVramMiB,
    footprint: fields.footprint ?? null,
    models: choice.requirements.models,
    priority: fields.priority,
    state: "queued",
    attempt: 0,
    maxAttempts: fields.maxAttempts ?? deps.config.JOB_MAX_ATTEMPTS,
    infraFailures: 0,
    leaseAgentId: null,
    leaseExpiresAt: null,
    progress: null,
    error: null,
    idempotencyKey: fields.idempotencyKey ?? null,
    requestHash: fields.requestHash,
    createdBy: fields.userId,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
  };
  try {
    await deps.db.batch([
      deps.db.insert(jobs).values(job),
      deps.db.insert(jobEvents).values({
        jobId: job.id,
        fromState: null,
        toState: "queued",
        attempt: 0,
        actor: `user:${fields.userId}`,
        message: choice.rationale
          ? `queued at ${choice.tier} (${choice.rationale})`
          : `queued at ${choice.tier}`,
        at: now,
      }),
    ]);
  } catch (error) {
    // Two retries with one key raced past the lookup: the loser returns the winner's job.
    if (fields.idempotencyKey && String(error).includes("UNIQUE constraint failed")) {
      const earlier = await findByKey(deps, fields.projectId, fields.idempotencyKey);
      if (earlier) return { job: sameRequest(earlier, fields.requestHash), created: false };
    }
    throw error;
  }
  deps.dispatcher.wake();
  return { job, created: true };
}

/** The job an earlier request with this Idempotency-Key made, if any (409 if it asked for more). */
export async function earlierJob(
  deps: AppDeps,
  projectId: string,
  idempotencyKey: string | undefined,
  requestHash: string,
): Promise<JobRow | undefined> {
  if (!idempotencyKey) return undefined;
  const earlier = await findByKey(deps, projectId, idempotencyKey);
  return earlier && sameRequest(earlier, requestHash);
}

async function findByKey(
  deps: AppDeps,
  projectId: string,
  key: string,
): Promise<JobRow | undefined> {
  const [row] = await deps.db.select().from(jobs)
    .where(and(eq(jobs.projectId, projectId), eq(jobs.idempotencyKey, key))).limit(1);
  return row;
}

function sameRequest(earlier: JobRow, requestHash: string): JobRow {
  if (earlier.requestHash !== requestHash) {
    throw conflict(
      "idempotency_key_reused",
      "this Idempotency-Key was used for a different request",
    );
  }
  return earlier;
}

/** 422 `invalid_params` naming each field as `params.<path>`. */
export function invalidParams(
  problems: readonly { path: readonly PropertyKey[]; message: string }[],
): ApiError {
  const issues = problems.map((i) => ({
    path: ["params", ...i.path.map(String)].join("."),
    message: i.message,
  }));
  return new ApiError(
    422,
    "invalid_params",
    issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; "),
    issues,
  );
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "invalid_body", `${field}: ${message}`, [{ path: field, message }]);
}

/**
 * A workflow job's params: the values the node sets (and its filing), not the catalog's
 * defaults, so the workflow's own values (its steps, cfg, size) stay where the node says nothing.
 */
function ownValues(parsed: Record<string, unknown>, raw: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(parsed).filter(([key]) =>
      NAMING_PARAMS.includes(key) || (raw[key] !== undefined && raw[key] !== null)
    ),
  );
}

/** A pinned asset version from the parsed params (a number), or none. */
function pinned(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function withoutPins(params: Record<string, unknown>): Record<string, unknown> {
  const { [WORKFLOW_VERSION_PARAM]: _w, [MODEL_CONFIG_VERSION_PARAM]: _m, ...rest } = params;
  return rest;
}
