/**
 * Queues a generation job for a node: validates the request against the node catalog and the
 * live graph (the room stores it first: services/live_graph.ts; the job records that
 * revision), resolves upstream takes, computes requirements, lowers the tier when no online
 * agent could ever run it (if allowed), and wakes waiting claims. An `Idempotency-Key` makes a
 * retried request return the job the first one created.
 */
import { and, eq } from "drizzle-orm";
import { jobEvents, jobs } from "../../../db/schema/mod.ts";
import type { generateRequestSchema } from "../../../protocol/jobs.ts";
import { isExecutable, nodeType } from "../../../protocol/nodes.ts";
import { paramProblems } from "../../../protocol/param_rules.ts";
import type { z } from "zod";
import type { AppDeps } from "../../context.ts";
import { ApiError, conflict, notFound } from "../../errors.ts";
import { sha256Hex } from "../../lib/bytes.ts";
import { newId } from "../../lib/ids.ts";
import { onlineAgentsForProject } from "../agents.ts";
import { liveGraph } from "../live_graph.ts";
import { resolveInputs } from "./inputs.ts";
import { learnedNeeds } from "../fleet/footprints.ts";
import { chooseTier } from "./matching.ts";
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
  if (request.idempotencyKey) {
    const earlier = await findByKey(deps, projectId, request.idempotencyKey);
    if (earlier) return { job: sameRequest(earlier, requestHash), created: false };
  }

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
  const parsed = def.params.safeParse(params);
  if (problems.length > 0 || !parsed.success) {
    const issues = problems.map((p) => ({ path: `params.${p.key}`, message: p.message }));
    throw new ApiError(422, "invalid_params", issues.map((i) => i.message).join("; "), issues);
  }
  if (!def.tiers.includes(body.tier)) {
    throw invalid("tier", `"${body.type}" runs at ${def.tiers.join(" or ")}, not ${body.tier}`);
  }
  const inputs = await resolveInputs(deps, projectId, graph, nodeId, def);
  const [online, needs] = await Promise.all([
    onlineAgentsForProject(deps, projectId),
    learnedNeeds(deps, def),
  ]);
  const choice = chooseTier(
    def,
    body.tier,
    body.allowDowngrade,
    online,
    (t) => needs(t).requirements,
  );

  const now = deps.now();
  const job: JobRow = {
    id: newId(),
    projectId,
    nodeId,
    nodeType: def.type,
    params: parsed.data,
    inputs,
    graphRevision: revision,
    tier: choice.tier,
    requestedTier: body.tier,
    allowDowngrade: body.allowDowngrade,
    rationale: choice.rationale,
    backends: choice.requirements.backends,
    minVramMiB: choice.requirements.minVramMiB,
    footprint: needs(choice.tier).footprint,
    models: choice.requirements.models,
    priority: body.priority,
    state: "queued",
    attempt: 0,
    maxAttempts: body.maxAttempts ?? deps.config.JOB_MAX_ATTEMPTS,
    infraFailures: 0,
    leaseAgentId: null,
    leaseExpiresAt: null,
    progress: null,
    error: null,
    idempotencyKey: request.idempotencyKey ?? null,
    requestHash,
    createdBy: request.userId,
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
        actor: `user:${request.userId}`,
        message: choice.rationale
          ? `queued at ${choice.tier} (${choice.rationale})`
          : `queued at ${choice.tier}`,
        at: now,
      }),
    ]);
  } catch (error) {
    // Two retries with one key raced past the lookup: the loser returns the winner's job.
    if (request.idempotencyKey && String(error).includes("UNIQUE constraint failed")) {
      const earlier = await findByKey(deps, projectId, request.idempotencyKey);
      if (earlier) return { job: sameRequest(earlier, requestHash), created: false };
    }
    throw error;
  }
  deps.dispatcher.wake();
  return { job, created: true };
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

function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "invalid_body", `${field}: ${message}`, [{ path: field, message }]);
}
