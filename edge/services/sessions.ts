/** Sign-in sessions: opaque random tokens handed out once and looked up by their hash. */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { sessions, shareLinks, users } from "../../db/schema/mod.ts";
import type { AppDeps, Principal } from "../context.ts";
import { newId } from "../lib/ids.ts";
import { randomToken, sha256Hex } from "../lib/bytes.ts";

export const SESSION_COOKIE = "md_session";

export async function createSession(
  deps: AppDeps,
  owner: { userId: string } | { shareLinkId: string; guestName: string },
): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken();
  const now = deps.now();
  const expiresAt = now + deps.config.SESSION_DAYS * 24 * 3600_000;
  await deps.db.insert(sessions).values({
    id: newId(),
    tokenHash: await sha256Hex(token),
    userId: "userId" in owner ? owner.userId : null,
    shareLinkId: "shareLinkId" in owner ? owner.shareLinkId : null,
    guestName: "guestName" in owner ? owner.guestName : null,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * Every API request runs this lookup, so it is prepared once per database: drizzle then skips
 * rebuilding the SQL each time, which is most of its cost.
 */
function principalQuery(db: Database) {
  return db
    .select({
      sessionId: sessions.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      shareLinkId: shareLinks.id,
      linkProjectId: shareLinks.projectId,
      linkExpiresAt: shareLinks.expiresAt,
      linkRevokedAt: shareLinks.revokedAt,
      guestName: sessions.guestName,
    })
    .from(sessions)
    .leftJoin(users, eq(users.id, sessions.userId))
    .leftJoin(shareLinks, eq(shareLinks.id, sessions.shareLinkId))
    .where(and(
      eq(sessions.tokenHash, sql.placeholder("tokenHash")),
      isNull(sessions.revokedAt),
      gt(sessions.expiresAt, sql.placeholder("now")),
    ))
    .limit(1)
    .prepare();
}
const preparedPrincipal = new WeakMap<Database, ReturnType<typeof principalQuery>>();

/** The principal behind a token, or null when it is unknown, expired, revoked or its link is. */
export async function principalForToken(deps: AppDeps, token: string): Promise<Principal | null> {
  const now = deps.now();
  let query = preparedPrincipal.get(deps.db);
  if (!query) preparedPrincipal.set(deps.db, query = principalQuery(deps.db));
  const [row] = await query.execute({ tokenHash: await sha256Hex(token), now });
  if (!row) return null;
  if (row.userId && row.email && row.name !== null) {
    return {
      kind: "user",
      sessionId: row.sessionId,
      user: { id: row.userId, email: row.email, name: row.name },
    };
  }
  if (row.shareLinkId && row.linkProjectId && row.linkRevokedAt === null) {
    if (row.linkExpiresAt !== null && row.linkExpiresAt <= now) return null;
    return {
      kind: "guest",
      sessionId: row.sessionId,
      shareLinkId: row.shareLinkId,
      projectId: row.linkProjectId,
      name: row.guestName ?? "Reviewer",
    };
  }
  return null;
}

export async function revokeSession(deps: AppDeps, sessionId: string): Promise<void> {
  await deps.db.update(sessions).set({ revokedAt: deps.now() }).where(eq(sessions.id, sessionId));
}
