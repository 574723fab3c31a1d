/**
 * A pool's scaling tokens: what its autoscalers (KEDA, a provisioner script) send to read the
 * pool's scaling answer (`GET /api/pools/:id/scaling`, routes/metrics.ts) without a session.
 * Each is named, shown once when made, kept as SHA-256, listed with when it was made and last
 * used (never the secret), and revoked on its own. Managing them needs the pool's manager
 * (routes/pools.ts checks it with requirePool).
 */
import { and, count, desc, eq } from "drizzle-orm";
import { poolScalingTokens } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { conflict, notFound } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/bytes.ts";
import { newId } from "../../lib/ids.ts";

/** More than a pool's autoscalers need; a bound so one person cannot grow the table forever. */
export const MAX_SCALING_TOKENS = 20;

/** `lastUsedAt` is written at most this often: an autoscaler polls every few seconds. */
export const LAST_USED_EVERY_MS = 60_000;

/** A scaling token as the API lists it: never its secret or hash. */
export interface ScalingTokenView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const view = {
  id: poolScalingTokens.id,
  name: poolScalingTokens.name,
  createdAt: poolScalingTokens.createdAt,
  lastUsedAt: poolScalingTokens.lastUsedAt,
};

/** The pool's tokens, newest first. */
export async function listScalingTokens(
  deps: AppDeps,
  poolId: string,
): Promise<ScalingTokenView[]> {
  return await deps.db.select(view).from(poolScalingTokens)
    .where(eq(poolScalingTokens.poolId, poolId))
    .orderBy(desc(poolScalingTokens.createdAt), desc(poolScalingTokens.id));
}

/** A new token for the pool: its secret (shown once) and how it is listed. 409 past the bound. */
export async function createScalingToken(
  deps: AppDeps,
  userId: string,
  poolId: string,
  name: string,
): Promise<{ token: string; scalingToken: ScalingTokenView }> {
  const [held] = await deps.db.select({ n: count() }).from(poolScalingTokens)
    .where(eq(poolScalingTokens.poolId, poolId));
  if ((held?.n ?? 0) >= MAX_SCALING_TOKENS) {
    throw conflict(
      "too_many_tokens",
      `the pool has ${MAX_SCALING_TOKENS} scaling tokens: revoke one it no longer needs first`,
    );
  }
  const token = randomToken();
  const [row] = await deps.db.insert(poolScalingTokens).values({
    id: newId(),
    poolId,
    name,
    tokenHash: await sha256Hex(token),
    createdBy: userId,
    createdAt: deps.now(),
  }).returning(view);
  return { token, scalingToken: row! };
}

/** Revokes one of the pool's tokens (404 for another pool's or an unknown one). */
export async function revokeScalingToken(
  deps: AppDeps,
  poolId: string,
  tokenId: string,
): Promise<void> {
  const gone = await deps.db.delete(poolScalingTokens).where(
    and(eq(poolScalingTokens.id, tokenId), eq(poolScalingTokens.poolId, poolId)),
  ).returning({ id: poolScalingTokens.id });
  if (gone.length === 0) throw notFound("scaling token");
}

/**
 * Whether `tokenHash` is one of the pool's tokens; notes when it was used (at most once a
 * minute). Looked up by the hash's unique index: the secret itself is never compared.
 */
export async function isPoolScalingToken(
  deps: AppDeps,
  poolId: string,
  tokenHash: string,
): Promise<boolean> {
  const [row] = await deps.db.select({ id: poolScalingTokens.id, lastUsedAt: view.lastUsedAt })
    .from(poolScalingTokens)
    .where(and(eq(poolScalingTokens.tokenHash, tokenHash), eq(poolScalingTokens.poolId, poolId)))
    .limit(1);
  if (!row) return false;
  const now = deps.now();
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_EVERY_MS) {
    await deps.db.update(poolScalingTokens).set({ lastUsedAt: now })
      .where(eq(poolScalingTokens.id, row.id));
  }
  return true;
}
