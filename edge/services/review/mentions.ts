/**
 * `@Name` mentions: the members whose name follows an `@` in a comment, matched as a whole
 * name (so `@Ada` does not name "Adam"), case-insensitively. Guests cannot be mentioned: they
 * are not members and their names are theirs to choose.
 */
import { eq } from "drizzle-orm";
import { projectMembers, users } from "../../../db/schema/mod.ts";
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
