/**
 * Pools (db/schema/fleet.ts): who may see, use and manage one, the personal pool every user
 * has, studio pools, their policies, and enrollment tokens that name them.
 *
 * Access: a personal pool is its owner's alone; a studio pool is seen and used by the studio's
 * members and managed by its admins. Anyone else gets the 404 a missing pool gets.
 */
import { and, eq, inArray, or, sql } from "drizzle-orm";
import { enrollmentTokens, pools, studioMembers } from "../../../db/schema/mod.ts";
import type { PoolPolicy } from "../../../protocol/fleet.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError, forbidden, notFound } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/bytes.ts";
import { newId } from "../../lib/ids.ts";

export type PoolRow = typeof pools.$inferSelect;
/** owner: a personal pool's owner; admin or member: of the pool's studio. */
export type PoolRole = "owner" | "admin" | "member";

export const personalPoolName = (userName: string) => `${userName}'s agents`;

/** The user's personal pool (id = their id), made on first need. */
export async function ensurePersonalPool(
  deps: AppDeps,
  user: { id: string; name: string },
): Promise<void> {
  const now = deps.now();
  await deps.db.insert(pools).values({
    id: user.id,
    name: personalPoolName(user.name),
    ownerId: user.id,
    createdAt: now,
    updatedAt: now,
  }).onConflictDoNothing();
}

/** The pool and the caller's role in it; null when they may not see it (answer 404). */
export async function poolAccess(
  deps: AppDeps,
  userId: string,
  poolId: string,
): Promise<{ pool: PoolRow; role: PoolRole } | null> {
  const [row] = await deps.db.select({ pool: pools, role: studioMembers.role }).from(pools)
    .leftJoin(
      studioMembers,
      and(eq(studioMembers.studioId, pools.studioId), eq(studioMembers.userId, userId)),
    )
    .where(eq(pools.id, poolId)).limit(1);
  if (!row) return null;
  if (row.pool.ownerId !== null) {
    return row.pool.ownerId === userId ? { ...row, role: "owner" } : null;
  }
  return row.role ? { pool: row.pool, role: row.role } : null;
}

/** Like poolAccess, but throws: 404 for outsiders, 403 for a member where managing is needed. */
export async function requirePool(
  deps: AppDeps,
  userId: string,
  poolId: string,
  manage: boolean,
): Promise<{ pool: PoolRow; role: PoolRole }> {
  const access = await poolAccess(deps, userId, poolId);
  if (!access) throw notFound("pool");
  if (manage && access.role === "member") throw forbidden("this needs a studio admin");
  return access;
}

/** Of `ids`, those the user may use: their personal pool, and their studios' pools. */
export async function usablePoolIds(
  deps: AppDeps,
  userId: string,
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.select({ id: pools.id }).from(pools).where(and(
    inArray(pools.id, ids),
    or(
      eq(pools.ownerId, userId),
      sql`${pools.studioId} in (select studio_id from studio_members where user_id = ${userId})`,
    ),
  ));
  return rows.map((r) => r.id);
}

/** Every pool the user may see, with their role in each. */
export async function visiblePools(deps: AppDeps, userId: string) {
  const rows = await deps.db.select({ pool: pools, role: studioMembers.role }).from(pools)
    .leftJoin(
      studioMembers,
      and(eq(studioMembers.studioId, pools.studioId), eq(studioMembers.userId, userId)),
    )
    .where(or(eq(pools.ownerId, userId), sql`${studioMembers.userId} is not null`))
    .orderBy(sql`${pools.studioId} is not null`, sql`lower(${pools.name})`);
  return rows.map((r) => ({ pool: r.pool, role: (r.role ?? "owner") as PoolRole }));
}

export function policyOf(pool: PoolRow): PoolPolicy {
  return {
    minAgents: pool.minAgents,
    maxAgents: pool.maxAgents,
    targetWaitS: pool.targetWaitS,
    scaleDownIdleS: pool.scaleDownIdleS,
  };
}

/** A pool as the API shows it to someone who may see it. */
export function publicPool(pool: PoolRow, role: PoolRole) {
  return {
    id: pool.id,
    name: pool.name,
    kind: pool.studioId ? "studio" as const : "personal" as const,
    studioId: pool.studioId,
    role,
    policy: policyOf(pool),
    createdAt: pool.createdAt,
  };
}

/** A studio pool; the name is unique within the studio (409 otherwise). */
export async function createPool(
  deps: AppDeps,
  input: { name: string; studioId: string } & Partial<PoolPolicy>,
): Promise<PoolRow> {
  const now = deps.now();
  const policy = { minAgents: 0, maxAgents: 10, targetWaitS: 120, scaleDownIdleS: 300 };
  try {
    const [pool] = await deps.db.insert(pools).values({
      ...policy,
      ...input,
      id: newId(),
      createdAt: now,
      updatedAt: now,
    }).returning();
    return pool!;
  } catch (error) {
    throw nameTaken(error) ?? error;
  }
}

/**
 * Renames a studio pool or changes its policy. min ≤ max is checked against the pool as it will
 * be (a body may change one of them), in the statement itself.
 */
export async function updatePool(
  deps: AppDeps,
  pool: PoolRow,
  changes: Partial<PoolPolicy & { name: string }>,
): Promise<PoolRow> {
  if (changes.name !== undefined && pool.studioId === null) {
    throw new ApiError(422, "invalid_body", "name: a personal pool is named after its owner", [
      { path: "name", message: "a personal pool is named after its owner" },
    ]);
  }
  const min = changes.minAgents ?? pool.minAgents;
  const max = changes.maxAgents ?? pool.maxAgents;
  if (min > max) {
    const path = changes.minAgents !== undefined ? "minAgents" : "maxAgents";
    const message = `minAgents (${min}) must not be above maxAgents (${max})`;
    throw new ApiError(422, "invalid_body", `${path}: ${message}`, [{ path, message }]);
  }
  try {
    const [updated] = await deps.db.update(pools).set({ ...changes, updatedAt: deps.now() })
      .where(eq(pools.id, pool.id)).returning();
    return updated!;
  } catch (error) {
    throw nameTaken(error) ?? error;
  }
}

function nameTaken(error: unknown): ApiError | null {
  const text = `${error} ${(error as Error)?.cause ?? ""}`;
  if (!text.includes("UNIQUE constraint failed")) return null;
  return new ApiError(409, "name_taken", "name: the studio already has a pool of that name", [
    { path: "name", message: "the studio already has a pool of that name" },
  ]);
}

/** The longest a single-use token works. */
export const SINGLE_USE_TOKEN_TTL_MS = 15 * 60_000;

/** An enrollment token that puts its agent in `poolId` (null: the user's personal pool). */
export async function createPoolToken(
  deps: AppDeps,
  userId: string,
  poolId: string | null,
  options: { reusable: boolean; days: number } = { reusable: false, days: 0 },
) {
  const token = randomToken();
  const now = deps.now();
  const expiresAt = now + (options.reusable ? options.days * 86_400_000 : SINGLE_USE_TOKEN_TTL_MS);
  await deps.db.insert(enrollmentTokens).values({
    id: newId(),
    tokenHash: await sha256Hex(token),
    userId,
    poolId,
    reusable: options.reusable,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt, reusable: options.reusable };
}
