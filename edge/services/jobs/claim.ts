/**
 * Claims, grouped: the claims that reach this process in the same turn of the event loop are
 * answered together, one statement per group of agents with the same capabilities
 * (claim_sql.ts), so many agents polling at once cost a few statements, not one each. A claim
 * waits only for the end of the current turn, and its lease starts when the statement runs.
 */
import { inArray } from "drizzle-orm";
import { takes } from "../../../db/schema/mod.ts";
import type { ClaimedJob, JobInputRef } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import type { CallingAgent } from "../agents.ts";
import { contentTypeForKey } from "../storage/blob_store.ts";
import { capabilityKey, claimStatement } from "./claim_sql.ts";
import { takeKey } from "./takes.ts";
import type { JobRow } from "./transitions.ts";

/** Only what the agent is sent. */
type ClaimedRow = Pick<
  JobRow,
  | "id"
  | "projectId"
  | "nodeId"
  | "nodeType"
  | "tier"
  | "params"
  | "inputs"
  | "workflow"
  | "modelConfig"
  | "backends"
  | "minVramMiB"
  | "models"
  | "attempt"
  | "maxAttempts"
  | "leaseExpiresAt"
>;

/** Bounds one statement's size; more agents than this make another group. */
const MAX_GROUP = 64;

interface Pending {
  agent: CallingAgent;
  settle(result: ClaimedRow | null | Error): void;
}

interface Group {
  key: string;
  claims: Pending[];
}

/**
 * Runs `fn` once the current turn's callbacks and promises are done: `setImmediate` where the
 * runtime has it (Deno; Workers with `nodejs_compat`), else a zero timer (which Deno holds for
 * about 2 ms, a visible share of a woken long-poll's latency).
 */
const afterThisTurn: (fn: () => void) => void = typeof globalThis.setImmediate === "function"
  ? (fn) => void globalThis.setImmediate(fn)
  : (fn) => void setTimeout(fn, 0);

/** Claims waiting for the end of the turn, per database (per app: tests run several at once). */
const waiting = new WeakMap<AppDeps["db"], Group[]>();

/** Leases the best job the agent can run now, or answers null when none fits. */
export async function claimJob(deps: AppDeps, agent: CallingAgent): Promise<ClaimedJob | null> {
  let groups = waiting.get(deps.db);
  if (!groups) {
    groups = [];
    waiting.set(deps.db, groups);
    afterThisTurn(() => {
      waiting.delete(deps.db);
      void runGroups(deps, groups!);
    });
  }
  const key = capabilityKey(agent);
  // An agent with several claims in flight gets one per group: the statement counts its
  // leases once, before any of the group's.
  let group = groups.find((g) =>
    g.key === key && g.claims.length < MAX_GROUP && !g.claims.some((p) => p.agent.id === agent.id)
  );
  if (!group) groups.push(group = { key, claims: [] });
  const result = await new Promise<ClaimedRow | null | Error>((settle) => {
    group.claims.push({ agent, settle });
  });
  if (result instanceof Error) throw result;
  return result ? await toClaimedJob(deps, result) : null;
}

async function runGroups(deps: AppDeps, groups: Group[]): Promise<void> {
  for (const group of groups) {
    try {
      const now = deps.now();
      const first = group.claims[0]!.agent;
      const result = await deps.db.$client.execute(claimStatement(
        first,
        group.claims.map((p) => ({ agentId: p.agent.id, concurrency: p.agent.concurrency })),
        { now, expiresAt: now + deps.config.LEASE_MS },
      ));
      const leased = new Map<string, ClaimedRow>();
      for (const row of result.rows) {
        const job = JSON.parse(String(row.job)) as ClaimedRow & { agentId: string };
        leased.set(job.agentId, job);
      }
      for (const p of group.claims) p.settle(leased.get(p.agent.id) ?? null);
    } catch (error) {
      for (const p of group.claims) {
        p.settle(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/**
 * The job as the agent receives it, inputs as signed URLs that outlive the lease: upstream
 * takes, the reference images of linked assets, and the file of the workflow asset it runs (or
 * the model config asset, which travels whole). An asset linked without an image (to a
 * `character` socket, say) is lineage only: there is no file to send.
 */
export async function toClaimedJob(deps: AppDeps, job: ClaimedRow): Promise<ClaimedJob> {
  const takeIds = job.inputs.flatMap((i) => "takeId" in i ? [i.takeId] : []);
  const inputTakes = takeIds.length === 0
    ? []
    : await deps.db.select().from(takes).where(inArray(takes.id, takeIds));
  const signed = (key: string) =>
    deps.storage.presignGet(key, { expiresInS: deps.config.DOWNLOAD_URL_TTL_S });
  const inputs = await Promise.all(job.inputs.flatMap((input): Promise<JobInputRef>[] => {
    if ("asset" in input) {
      const { imageKey, id, version } = input.asset;
      if (!imageKey) return [];
      return [(async () => ({
        socket: input.socket,
        asset: { id, version },
        contentType: contentTypeForKey(imageKey),
        url: await signed(imageKey),
      }))()];
    }
    const take = inputTakes.find((t) => t.id === input.takeId);
    if (!take) return [];
    return [(async () => ({
      socket: input.socket,
      takeId: take.id,
      contentType: take.contentType,
      ...(take.sha256 ? { sha256: take.sha256 } : {}),
      url: await signed(takeKey(take)),
    }))()];
  }));
  const workflow = job.workflow && {
    assetId: job.workflow.assetId,
    version: job.workflow.version,
    name: job.workflow.name,
    url: await signed(job.workflow.file.key),
    sha256: job.workflow.file.sha256,
    bytes: job.workflow.file.bytes,
    binding: job.workflow.binding,
  };
  return {
    id: job.id,
    projectId: job.projectId,
    nodeId: job.nodeId,
    nodeType: job.nodeType,
    tier: job.tier,
    params: job.params,
    inputs,
    ...(workflow ? { workflow } : {}),
    ...(job.modelConfig ? { modelConfig: job.modelConfig } : {}),
    requirements: { backends: job.backends, minVramMiB: job.minVramMiB, models: job.models },
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    leaseExpiresAt: job.leaseExpiresAt!,
    leaseMs: deps.config.LEASE_MS,
  };
}
