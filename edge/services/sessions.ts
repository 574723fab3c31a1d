/** Sign-in sessions: opaque random tokens handed out once and looked up by their hash. */
import { eq } from "drizzle-orm";
import { sessions } from "../../db/schema/mod.ts";
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
 * Every API request runs this lookup, so it is one hand-written statement on the raw client
 * that hands back one JSON column: drizzle's query building, and the client's building of each
 * row column by column, cost several times the query itself here.
 */
const PRINCIPAL_SQL = `
  select json_object('sessionId', s.id, 'expiresAt', s.expires_at, 'guestName', s.guest_name,
         'userId', u.id, 'email', u.email, 'name', u.name,
         'shareLinkId', l.id, 'linkProjectId', l.project_id,
         'linkExpiresAt', l.expires_at, 'linkRevokedAt', l.revoked_at) as principal
  from sessions s
  left join users u on u.id = s.user_id
  left join share_links l on l.id = s.share_link_id
  where s.token_hash = ? and s.revoked_at is null and s.expires_at > ?
  limit 1`;

interface PrincipalRow {
  sessionId: string;
  expiresAt: number;
  guestName: string | null;
  userId: string | null;
  email: string | null;
  name: string | null;
  shareLinkId: string | null;
  linkProjectId: string | null;
  linkExpiresAt: number | null;
  linkRevokedAt: number | null;
}

/** The principal behind a token, or null when it is unknown, expired, revoked or its link is. */
export async function principalForToken(deps: AppDeps, token: string): Promise<Principal | null> {
  const tokenHash = await sha256Hex(token);
  const now = deps.now();
  const result = await deps.db.$client.execute({ sql: PRINCIPAL_SQL, args: [tokenHash, now] });
  const json = result.rows[0]?.principal;
  return typeof json === "string" ? principalOf(JSON.parse(json) as PrincipalRow, now) : null;
}

function principalOf(row: PrincipalRow, now: number): Principal | null {
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
