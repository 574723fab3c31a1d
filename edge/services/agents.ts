/**
 * Enrolled agents: single-use enrollment tokens, credentials (`<agentId>.<secret>`, the secret
 * kept only as its SHA-256), profiles with the columns matching reads, liveness, and revocation.
 */
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { agents, enrollmentTokens, jobs, users } from "../../db/schema/mod.ts";
import type { AgentProfile, BlockedWork } from "../../protocol/jobs.ts";
import type { Backend } from "../../protocol/nodes.ts";
import type { Tier } from "../../protocol/tiers.ts";
import type { AppDeps } from "../context.ts";
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { constantTimeEqual, randomToken, sha256Hex, sha256HexSync } from "../lib/bytes.ts";
import { newId } from "../lib/ids.ts";
import {
  type AgentCapability,
  MODEL_CONFIG_WORK,
  RUNNER_WORK,
  WORKFLOW_WORK,
  workKey,
} from "./jobs/matching.ts";
import { transitionJobs } from "./jobs/transitions.ts";
import { createPoolToken, ensurePersonalPool, poolAccess } from "./fleet/pools.ts";
import { poolsServing } from "./fleet/project_pools.ts";

export type AgentRow = typeof agents.$inferSelect;

/** An agent unseen for this many heartbeat intervals is offline. */
export const OFFLINE_AFTER_INTERVALS = 3;
/** Any agent call counts as a sign of life; it is written at most this often. */
const SEEN_WRITE_INTERVAL_MS = 5_000;

/** The columns the claim statement matches on, derived from a profile. */
export function capabilityColumns(profile: AgentProfile) {
  const healthy = profile.backends.filter((b) => b.healthy);
  const derived = {
    maxVramMiB: profile.gpus.reduce((max, gpu) => Math.max(max, gpu.vramTotalMiB ?? 0), 0),
    healthyBackends: [...new Set(healthy.map((b) => b.kind))],
    models: [...new Set(healthy.flatMap((b) => b.models))],
    runnable: runnablePairs(healthy),
  };
  return {
    ...derived,
    capabilityHash: sha256HexSync(JSON.stringify(derived)).slice(0, 32),
    concurrency: profile.concurrency,
  };
}

/**
 * `nodeType:tier` pairs the healthy backends can run. A backend that lists its `runnable`
 * pairs (agents 0.2 on) gets exactly those; one that does not (older agents) every pair of the
 * node types its kind serves, as matching worked before. A ComfyUI that runs workflow assets
 * adds `WORKFLOW_WORK`; a Docker backend that runs model config assets, `MODEL_CONFIG_WORK`.
 */
export function runnablePairs(healthy: AgentProfile["backends"]): string[] {
  const pairs = new Set<string>();
  for (const backend of healthy) {
    if (backend.kind === "comfyui" && backend.workflows) pairs.add(WORKFLOW_WORK);
    if (backend.kind === "docker" && backend.modelConfigs) pairs.add(MODEL_CONFIG_WORK);
    if (backend.runnable) {
      for (const work of backend.runnable) pairs.add(workKey(work.nodeType, work.tier));
      continue;
    }
    for (const def of Object.values(NODE_TYPES)) {
      if (!def.backends.includes(backend.kind)) continue;
      for (const tier of def.tiers) pairs.add(workKey(def.type, tier));
    }
  }
  return [...pairs].sort();
}

/** A (node type, tier) pair as people read it: the node type's title beside its code. */
export interface WorkForPeople {
  nodeType: string;
  title: string;
  tier: Tier;
}

/**
 * What an agent can run now (`runnable`), and what its healthy backends have templates for but
 * cannot run yet, with what each lacks (`blocked`): the two lists the studio shows in words.
 */
export function capabilitiesOf(agent: Pick<AgentRow, "runnable" | "profile">): {
  runnable: WorkForPeople[];
  blocked: (WorkForPeople & Omit<BlockedWork, "nodeType" | "tier"> & { backend: Backend })[];
} {
  const titled = (nodeType: string, tier: Tier) => ({
    nodeType,
    title: NODE_TYPES[nodeType]?.title ?? nodeType,
    tier,
  });
  return {
    runnable: agent.runnable.filter((key) => !RUNNER_WORK.includes(key)).map((key) => {
      const at = key.lastIndexOf(":");
      return titled(key.slice(0, at), key.slice(at + 1) as Tier);
    }),
    blocked: agent.profile.backends.filter((b) => b.healthy).flatMap((b) =>
      (b.blocked ?? []).map(({ nodeType, tier, ...lack }) => ({
        ...titled(nodeType, tier),
        ...lack,
        backend: b.kind,
      }))
    ),
  };
}

/** A single-use token for the user's personal pool (the Agents page's "Add a GPU machine"). */
export async function createEnrollmentToken(deps: AppDeps, user: { id: string; name: string }) {
  await ensurePersonalPool(deps, user);
  return await createPoolToken(deps, user.id, null);
}

/**
 * Redeems a token (one statement marks a single-use one used, so two agents racing with one
 * token cannot both win; a reusable one counts a use) and creates the agent in the token's pool,
 * or its maker's personal pool. A pool token stops working when its maker may no longer manage
 * the pool. Null when the token is unknown, used, revoked or expired.
 */
export async function enrollAgent(
  deps: AppDeps,
  request: { token: string; name?: string | undefined; profile: AgentProfile },
): Promise<{ agent: AgentRow; secret: string } | null> {
  const now = deps.now();
  const agentId = newId();
  const [redeemed] = await deps.db.update(enrollmentTokens).set({
    usedAt: sql`case when ${enrollmentTokens.reusable} then null else ${now} end`,
    agentId: sql`case when ${enrollmentTokens.reusable} then null else ${agentId} end`,
    uses: sql`${enrollmentTokens.uses} + 1`,
  })
    .where(and(
      eq(enrollmentTokens.tokenHash, await sha256Hex(request.token)),
      or(eq(enrollmentTokens.reusable, true), isNull(enrollmentTokens.usedAt)),
      isNull(enrollmentTokens.revokedAt),
      gt(enrollmentTokens.expiresAt, now),
    ))
    .returning({ userId: enrollmentTokens.userId, poolId: enrollmentTokens.poolId });
  if (!redeemed) return null;
  let poolId = redeemed.userId;
  if (redeemed.poolId) {
    const access = await poolAccess(deps, redeemed.userId, redeemed.poolId);
    if (!access || access.role === "member") return null;
    poolId = access.pool.id;
  } else {
    const [owner] = await deps.db.select({ id: users.id, name: users.name }).from(users)
      .where(eq(users.id, redeemed.userId));
    if (!owner) return null;
    await ensurePersonalPool(deps, owner);
  }
  const secret = randomToken();
  const [agent] = await deps.db.insert(agents).values({
    id: agentId,
    ownerId: redeemed.userId,
    poolId,
    name: request.name ?? request.profile.hostname,
    secretHash: await sha256Hex(secret),
    profile: request.profile,
    ...capabilityColumns(request.profile),
    lastSeenAt: now,
    createdAt: now,
  }).returning();
  return { agent: agent!, secret };
}

/** What agent calls know about the caller: who it is and what the claim matches on. */
export type CallingAgent =
  & { poolId: string }
  & Pick<
    AgentRow,
    | "id"
    | "ownerId"
    | "name"
    | "maxVramMiB"
    | "healthyBackends"
    | "models"
    | "runnable"
    | "capabilityHash"
    | "concurrency"
    | "lastSeenAt"
  >;

/**
 * Every agent call runs this lookup, so it is one hand-written statement on the raw client
 * that leaves out the profile (the widest column), and hands back one JSON column: drizzle's
 * query building, and the client's building of each row column by column, cost several times
 * the query itself here.
 */
const CREDENTIAL_SQL = `
  select secret_hash as secretHash, json_object('id', id, 'ownerId', owner_id,
    'poolId', coalesce(pool_id, owner_id), 'name', name,
    'maxVramMiB', max_vram_mib, 'healthyBackends', json(healthy_backends),
    'models', json(models), 'runnable', json(runnable), 'capabilityHash', capability_hash,
    'concurrency', concurrency, 'lastSeenAt', last_seen_at) as agent
  from agents where id = ? and revoked_at is null limit 1`;

/**
 * The agent as it is now (null once revoked): a long-poll re-reads it after each wait, so a
 * heartbeat that took a backend off the profile is matched at once, not after the poll.
 */
export async function callingAgent(deps: AppDeps, agentId: string): Promise<CallingAgent | null> {
  const result = await deps.db.$client.execute({ sql: CREDENTIAL_SQL, args: [agentId] });
  const row = result.rows[0] as unknown as { agent: string } | undefined;
  return row ? JSON.parse(row.agent) as CallingAgent : null;
}

/** The live agent behind `<agentId>.<secret>`, or null. */
export async function agentForCredential(
  deps: AppDeps,
  credential: string,
): Promise<CallingAgent | null> {
  const dot = credential.indexOf(".");
  if (dot <= 0) return null;
  const result = await deps.db.$client.execute({
    sql: CREDENTIAL_SQL,
    args: [credential.slice(0, dot)],
  });
  const row = result.rows[0] as unknown as { secretHash: string; agent: string } | undefined;
  if (!row) return null;
  const given = new TextEncoder().encode(await sha256Hex(credential.slice(dot + 1)));
  if (!constantTimeEqual(given, new TextEncoder().encode(row.secretHash))) return null;
  return JSON.parse(row.agent) as CallingAgent;
}

/** Notes that the agent called, without a write on every call of a busy agent. */
export async function markSeen(deps: AppDeps, agent: CallingAgent): Promise<void> {
  const now = deps.now();
  if (now - agent.lastSeenAt < SEEN_WRITE_INTERVAL_MS) return;
  await deps.db.update(agents).set({ lastSeenAt: now }).where(eq(agents.id, agent.id));
}

export async function recordHeartbeat(
  deps: AppDeps,
  agentId: string,
  profile: AgentProfile,
  { leaving = false, draining = false }: { leaving?: boolean; draining?: boolean } = {},
): Promise<AgentRow> {
  // A leaving agent was last seen now, but counts as offline at once (isOnline's window).
  const offlineAfter = OFFLINE_AFTER_INTERVALS * deps.config.HEARTBEAT_INTERVAL_MS;
  const lastSeenAt = leaving ? deps.now() - offlineAfter - 1 : deps.now();
  // Kept from its first draining heartbeat; cleared by one that does not say so.
  const drainingSince = draining || leaving
    ? sql`coalesce(${agents.drainingSince}, ${deps.now()})`
    : null;
  const [agent] = await deps.db.update(agents)
    .set({ profile, ...capabilityColumns(profile), lastSeenAt, drainingSince })
    .where(eq(agents.id, agentId)).returning();
  return agent!;
}

export function isOnline(
  deps: AppDeps,
  agent: Pick<AgentRow, "lastSeenAt" | "revokedAt">,
): boolean {
  const window = OFFLINE_AFTER_INTERVALS * deps.config.HEARTBEAT_INTERVAL_MS;
  return agent.revokedAt === null && deps.now() - agent.lastSeenAt <= window;
}

/**
 * What the online agents of the pools serving the project (project_pools.ts) can do, with their
 * pool and whether they are busy (holding as many jobs as they run at once).
 */
export async function onlineAgentsForProject(
  deps: AppDeps,
  projectId: string,
): Promise<AgentCapability[]> {
  const since = deps.now() - OFFLINE_AFTER_INTERVALS * deps.config.HEARTBEAT_INTERVAL_MS;
  const result = await deps.db.$client.execute({
    sql: `select a.max_vram_mib as maxVramMiB, a.healthy_backends as healthyBackends,
        a.models as models, a.runnable as runnable, a.profile as profile,
        p.id as poolId, p.name as poolName,
        (select count(*) from jobs h where h.lease_agent_id = a.id
          and h.state in ('leased', 'running')) >= a.concurrency as busy
      from agents a join pools p on p.id = a.pool_id
      where a.revoked_at is null and a.last_seen_at >= ?2 and a.draining_since is null
        and a.pool_id in (${poolsServing("?1")})`,
    args: [projectId, since],
  });
  return (result.rows as unknown as Record<string, string | number>[]).map((row) => {
    const profile = JSON.parse(String(row.profile)) as AgentProfile;
    const healthy = profile.backends.filter((b) => b.healthy);
    return {
      maxVramMiB: Number(row.maxVramMiB),
      healthyBackends: JSON.parse(String(row.healthyBackends)),
      models: JSON.parse(String(row.models)),
      runnable: JSON.parse(String(row.runnable)),
      blocked: healthy.flatMap((b) =>
        (b.blocked ?? []).map((work) => ({ ...work, backend: b.kind }))
      ),
      params: templateParams(healthy),
      pool: { id: String(row.poolId), name: String(row.poolName) },
      busy: Number(row.busy) === 1,
    };
  });
}

/**
 * The job parameters the healthy backends' templates read, per runnable pair: the union over
 * templates, and null where one backend that runs the pair does not say (it reads them all).
 */
export function templateParams(
  healthy: AgentProfile["backends"],
): Record<string, string[] | null> {
  const params: Record<string, string[] | null> = {};
  for (const work of healthy.flatMap((b) => b.runnable ?? [])) {
    const key = workKey(work.nodeType, work.tier);
    const seen = Object.hasOwn(params, key) ? params[key]! : [];
    params[key] = seen === null || !work.params ? null : [...new Set([...seen, ...work.params])];
  }
  return params;
}

/**
 * Revokes an agent: its credential stops working at once, and the jobs it holds go back to the
 * queue without spending an attempt (the agent did not fail them). False if not found.
 */
export async function revokeAgent(
  deps: AppDeps,
  ownerId: string,
  agentId: string,
): Promise<boolean> {
  const [revoked] = await deps.db.update(agents).set({ revokedAt: deps.now() })
    .where(and(eq(agents.id, agentId), eq(agents.ownerId, ownerId), isNull(agents.revokedAt)))
    .returning({ id: agents.id });
  if (!revoked) return false;
  const returned = await transitionJobs(deps, {
    where: and(eq(jobs.leaseAgentId, agentId), inArray(jobs.state, ["leased", "running"]))!,
    to: "queued",
    attempt: sql`max(${jobs.attempt} - 1, 0)`,
    set: { leaseAgentId: null, leaseExpiresAt: null },
    actor: `user:${ownerId}`,
    message: "agent revoked; back to the queue",
  });
  if (returned.length > 0) deps.dispatcher.wake();
  return true;
}
