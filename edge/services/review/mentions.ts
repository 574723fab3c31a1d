/**
 * `@Name` mentions: the members whose name follows an `@` in a comment, matched as a whole
 * name (so `@Ada` does not name "Adam"), case-insensitively. Guests cannot be mentioned: they
 * are not members and their names are theirs to choose.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { comments, projectMembers, projects, users } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";

/** The ids of `members` named in `body`. */
export function mentionedIn(body: string, members: { id: string; name: string }[]): string[] {
  const folded = body.toLocaleLowerCase();
  return members.filter((m) => {
    const name = m.name.trim().toLocaleLowerCase();
    if (!name) return false;
    for (let at = folded.indexOf(`@${name}`); at >= 0; at = folded.indexOf(`@${name}`, at + 1)) {
      const next = folded.slice(at + 1 + name.length, at + 2 + name.length);
      if (!/[\p{L}\p{N}_]/u.test(next)) return true;
    }
    return false;
  }).map((m) => m.id);
}

/** The project's members' ids and names, for `mentionedIn`. */
export async function membersOf(deps: AppDeps, projectId: string) {
  return await deps.db.select({ id: users.id, name: users.name }).from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId));
}

/** At most this many mentions are listed, newest first. */
export const MENTIONS_LIMIT = 30;

/**
 * The comments that name `userId`, newest first, in the projects they are a member of now (a
 * removed member no longer sees what was said there).
 */
export async function mentionsOf(deps: AppDeps, userId: string) {
  const rows = await deps.db.select({
    comment: comments,
    projectName: projects.name,
  }).from(comments)
    .innerJoin(
      projectMembers,
      and(
        eq(projectMembers.projectId, comments.projectId),
        eq(projectMembers.userId, userId),
      ),
    )
    .innerJoin(projects, eq(projects.id, comments.projectId))
    .where(sql`exists (select 1 from json_each(${comments.mentions}) where value = ${userId})`)
    .orderBy(desc(comments.createdAt)).limit(MENTIONS_LIMIT);
  return rows.map(({ comment: c, projectName }) => ({
    commentId: c.id,
    projectId: c.projectId,
    projectName,
    target: c.targetKind === "cut"
      ? { kind: "cut" as const, cutId: c.cutId! }
      : c.targetKind === "take"
      ? { kind: "take" as const, takeId: c.takeId!, nodeId: c.nodeId }
      : { kind: "node" as const, nodeId: c.nodeId },
    by: c.authorName,
    body: c.body.slice(0, 200),
    at: c.createdAt,
  }));
}
