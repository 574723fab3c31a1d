/** Jobs as the studio shows them: public fields, and for a queued job why it is waiting. */
import { asc, eq } from "drizzle-orm";
import { jobEvents } from "../../../db/schema/mod.ts";
import type { WaitReason } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import type { AgentCapability } from "./matching.ts";
import { explainWait } from "./matching.ts";
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
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** `online`: the agents online for the job's project, to explain a wait. */
export function jobView(job: JobRow, online: AgentCapability[]): JobView {
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
    requirements,
    priority: job.priority,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    infraFailures: job.infraFailures,
    agentId: job.leaseAgentId,
    progress: job.progress,
    error: job.error,
    waiting: job.state === "queued"
      ? explainWait(online, requirements, {
        nodeType: job.nodeType,
        tier: job.tier,
        workflow: job.workflow && { ...job.workflow, models: job.workflow.binding.models },
      })
      : null,
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
