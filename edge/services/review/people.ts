/**
 * Who is commenting or deciding, as review rows record them: a person key that members and
 * share-link guests share (`user:<id>`, `guest:<sessionId>`), their name, and the role shown
 * beside it ("guest" for anyone who came through a link, so a guest who calls themselves by a
 * member's name is still marked as a guest).
 */
import type { Context } from "hono";
import type { ReviewAuthor } from "../../../protocol/review.ts";
import type { AppEnv, Principal } from "../../context.ts";
import { unauthorized } from "../../errors.ts";

/** The key of one person in review rows, read markers and the comment rate limit. */
export function personOf(principal: Principal): string {
  return principal.kind === "user" ? `user:${principal.user.id}` : `guest:${principal.sessionId}`;
}

/** The caller as an author; call only behind `requireRole`. */
export function authorOf(c: Context<AppEnv>): ReviewAuthor {
  const principal = c.get("principal");
  if (!principal) throw unauthorized();
  return principal.kind === "user"
    ? { person: personOf(principal), name: principal.user.name, role: c.get("access").role }
    : { person: personOf(principal), name: principal.name, role: "guest" };
}

/** Editors and owners moderate: they resolve any thread and delete any comment. */
export function moderates(author: ReviewAuthor): boolean {
  return author.role === "editor" || author.role === "owner";
}
