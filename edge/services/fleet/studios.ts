/**
 * Studios: named groups of people that own pools (db/schema/fleet.ts). Whoever creates one is
 * its first admin; others join with the current join code (never added by email); admins change
 * roles and remove people; a studio always keeps an admin.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { studioMembers, studios, users } from "../../../db/schema/mod.ts";
import type { StudioRole } from "../../../protocol/fleet.ts";
import type { AppDeps } from "../../context.ts";
import { conflict, forbidden, notFound } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/bytes.ts";
import { newId } from "../../lib/ids.ts";

export async function createStudio(deps: AppDeps, userId: string, name: string) {
  const now = deps.now();
  const studio = { id: newId(), name, joinCodeHash: null, createdAt: now };
  await deps.db.batch([
    deps.db.insert(studios).values(studio),
    deps.db.insert(studioMembers).values({
      studioId: studio.id,
      userId,
      role: "admin",
      createdAt: now,
    }),
  ]);
  return { id: studio.id, name, role: "admin" as StudioRole, createdAt: now };
}

/** The caller's role in a studio, or null when they are not in it (callers answer 404). */
export async function studioRole(
  deps: AppDeps,
  userId: string,
  studioId: string,
): Promise<StudioRole | null> {
  const [row] = await deps.db.select({ role: studioMembers.role }).from(studioMembers)
    .where(and(eq(studioMembers.studioId, studioId), eq(studioMembers.userId, userId))).limit(1);
  return row?.role ?? null;
}

/** 404 for outsiders, 403 for members where an admin is needed. */
export async function requireStudioRole(
  deps: AppDeps,
  userId: string,
  studioId: string,
  needed: StudioRole,
): Promise<StudioRole> {
  const role = await studioRole(deps, userId, studioId);
  if (!role) throw notFound("studio");
  if (needed === "admin" && role !== "admin") {
    throw forbidden("this needs a studio admin");
  }
  return role;
}

/** The caller's studios, with everyone in each (names and roles; no emails). */
export async function myStudios(deps: AppDeps, userId: string) {
  const rows = await deps.db.select({
    id: studios.id,
    name: studios.name,
    createdAt: studios.createdAt,
    memberId: studioMembers.userId,
    memberName: users.name,
    memberRole: studioMembers.role,
  }).from(studios)
    .innerJoin(studioMembers, eq(studioMembers.studioId, studios.id))
    .innerJoin(users, eq(users.id, studioMembers.userId))
    .where(sql`${studios.id} in (select studio_id from studio_members where user_id = ${userId})`)
    .orderBy(asc(studios.name), asc(studioMembers.createdAt));
  const byId = new Map<string, {
    id: string;
    name: string;
    createdAt: number;
    role: StudioRole;
    members: { userId: string; name: string; role: StudioRole }[];
  }>();
  for (const r of rows) {
    const studio = byId.get(r.id) ??
      { id: r.id, name: r.name, createdAt: r.createdAt, role: "member", members: [] };
    byId.set(r.id, studio);
    studio.members.push({ userId: r.memberId, name: r.memberName, role: r.memberRole });
    if (r.memberId === userId) studio.role = r.memberRole;
  }
  return [...byId.values()];
}

/** A new join code (shown once; the previous one stops working). */
export async function newJoinCode(deps: AppDeps, studioId: string): Promise<string> {
  const code = randomToken();
  await deps.db.update(studios).set({ joinCodeHash: await sha256Hex(code) })
    .where(eq(studios.id, studioId));
  return code;
}

/** Joins the studio whose current code this is, as a member; null when no studio has it. */
export async function joinStudio(deps: AppDeps, userId: string, code: string) {
  const [studio] = await deps.db.select({ id: studios.id, name: studios.name }).from(studios)
    .where(eq(studios.joinCodeHash, await sha256Hex(code))).limit(1);
  if (!studio) return null;
  // Someone already in it keeps their role.
  await deps.db.insert(studioMembers).values({
    studioId: studio.id,
    userId,
    role: "member",
    createdAt: deps.now(),
  }).onConflictDoNothing();
  return { ...studio, role: (await studioRole(deps, userId, studio.id))! };
}

/**
 * Changes a member's role, or removes them (`role` null). One statement each, which leaves the
 * last admin as they are, so two admins demoting each other at once cannot leave none.
 */
export async function changeStudioMember(
  deps: AppDeps,
  studioId: string,
  userId: string,
  role: StudioRole | null,
): Promise<void> {
  const who = and(
    eq(studioMembers.studioId, studioId),
    eq(studioMembers.userId, userId),
    role === "admin" ? undefined : sql`(${studioMembers.role} <> 'admin' or (
      select count(*) from studio_members a where a.studio_id = ${studioId} and a.role = 'admin'
    ) > 1)`,
  );
  const changed = role
    ? await deps.db.update(studioMembers).set({ role }).where(who).returning()
    : await deps.db.delete(studioMembers).where(who).returning();
  if (changed.length > 0) return;
  if (!await studioRole(deps, userId, studioId)) throw notFound("member");
  throw conflict("last_admin", "a studio needs an admin: make someone else admin first");
}
