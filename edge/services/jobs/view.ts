/**
 * Jobs as the studio shows them: public fields; for a queued job why it is waiting (per pool)
 * and its ETA; the VRAM figure it was matched on; the pool of the agent that holds or ran it.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { agents, jobEvents, pools } from "../../../db/schema/mod.ts";
import type { JobFootprint, QueueEta } from "../../../protocol/fleet.ts";
import type { WaitReason } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import { onlineAgentsForProject } from "../agents.ts";
import { queueEtas } from "../fleet/eta.ts";
import { explainWaitByPool } from "../fleet/pool_wait.ts";
import { projectPoolList } from "../fleet/project_pools.ts";
import type { JobRow } from "./transitions.ts";

export interface JobView {
  id: string;
  projectId: string;
  nodeId: string;
  nodeType: string;
  state: JobRow["state"];
  tier: JobRow["tier"];
  requestedTier: JobRow["tier"];
  allowDowngrade: boolean;
  /** Why the tier was lowered, e.g. "high→standard: largest online GPU 16 GB". */
  rationale: string | null;
  params: Record<string, unknown>;
  /** The graph revision it was queued from (lineage); null for jobs from before it was kept. */
  graphRevision: number | null;
  /** The workflow asset it runs, at the version it was queued with; null: built-in templates. */
  workflow: { assetId: string; version: number; name: string } | null;
  /** The model config asset it runs in Docker, at the version it was queued with; or null. */
  modelConfig: { assetId: string; version: number; name: string } | null;
  requirements: { backends: string[]; minVramMiB: number; models: string[] };
  priority: number;
  attempt: number;
  maxAttempts: number;
  /** Runs lost to the agent's backend going away (no attempt spent; bounded apart). */
  infraFailures: number;
  agentId: string | null;
  progress: JobRow["progress"];
  error: string | null;
  /** Only for queued jobs: why no agent has taken it yet. */
  waiting: { reason: WaitReason; message: string } | null;
  /** Only for queued jobs that an online agent can run: when it should be done, and why. */
  eta: QueueEta | null;
  /** The VRAM figure it was matched on (declared or learned); null for jobs from before. */
  footprint: JobFootprint | null;
  /** The pool of the agent that holds it or ran it. */
  pool: { id: string; name: string } | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** What the views of one project's jobs share: read once for a list. */
interface ViewContext {
  online: Awaited<ReturnType<typeof onlineAgentsForProject>>;
  servingPools: { id: string; name: string }[];
  etas: Map<string, QueueEta>;
  poolOfAgent: Map<string, { id: string; name: string }>;
}

/** The views of jobs of one project. */
export async function jobViews(
  deps: AppDeps,
  projectId: string,
  rows: readonly JobRow[],
): Promise<JobView[]> {
  const open = rows.some((j) => j.state === "queued");
  const [online, serving] = open
    ? await Promise.all([onlineAgentsForProject(deps, projectId), projectPoolList(deps, projectId)])
    : [[], { pools: [] }];
  const agentIds = [...new Set(rows.flatMap((j) => j.leaseAgentId ? [j.leaseAgentId] : []))];
  const held = agentIds.length === 0 ? [] : await deps.db
    .select({ agentId: agents.id, id: pools.id, name: pools.name }).from(agents)
    .innerJoin(pools, eq(pools.id, agents.poolId)).where(inArray(agents.id, agentIds));
  const context: ViewContext = {
    online,
    servingPools: serving.pools,
    etas: await queueEtas(deps, rows, online),
    poolOfAgent: new Map(held.map((r) => [r.agentId, { id: r.id, name: r.name }])),
  };
  return rows.map((job) => jobView(job, context));
}

function jobView(job: JobRow, context: ViewContext): JobView {
  const requirements = { backends: job.backends, minVramMiB: job.minVramMiB, models: job.models };
  return {
    id: job.id,
    projectId: job.projectId,
    nodeId: job.nodeId,
    nodeType: job.nodeType,
    state: job.state,
    tier: job.tier,
    requestedTier: job.requestedTier,
    allowDowngrade: job.allowDowngrade,
    rationale: job.rationale,
    params: job.params,
    graphRevision: job.graphRevision,
    workflow: job.workflow &&
      { assetId: job.workflow.assetId, version: job.workflow.version, name: job.workflow.name },
    modelConfig: job.modelConfig && {
      assetId: job.modelConfig.assetId,
      version: job.modelConfig.version,
      name: job.modelConfig.name,
    },
    requirements,
    priority: job.priority,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    infraFailures: job.infraFailures,
    agentId: job.leaseAgentId,
    progress: job.progress,
    error: job.error,
    waiting: job.state === "queued"
      ? explainWaitByPool(context.online, context.servingPools, requirements, {
        nodeType: job.nodeType,
        tier: job.tier,
        workflow: job.workflow && { ...job.workflow, models: job.workflow.binding.models },
        modelConfig: job.modelConfig,
      })
      : null,
    eta: context.etas.get(job.id) ?? null,
    footprint: job.footprint,
    pool: job.leaseAgentId ? context.poolOfAgent.get(job.leaseAgentId) ?? null : null,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

export async function jobHistory(deps: AppDeps, jobId: string) {
  return await deps.db.select({
    from: jobEvents.fromState,
    to: jobEvents.toState,
    attempt: jobEvents.attempt,
    agentId: jobEvents.agentId,
    actor: jobEvents.actor,
    message: jobEvents.message,
    at: jobEvents.at,
  }).from(jobEvents).where(eq(jobEvents.jobId, jobId)).orderBy(asc(jobEvents.id));
}
