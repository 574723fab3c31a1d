/**
 * "What's new": what happened in a project since a person last marked it read: takes and cut
 * renders that finished, comments and replies by others (a mention of them stands out), and others'
 * decisions. A person who never marked it starts from when they joined (a member) or opened
 * the link (a guest). Each kind is one range read on a (project, time) index, so the answer
 * costs the same in a project with ten thousand events as in one with ten.
 */
import { and, count, desc, eq, gt, isNotNull, ne, sql } from "drizzle-orm";
import type { WhatsNewItem } from "../../../protocol/review.ts";
import {
  comments,
  projectMembers,
  reviewReads,
  sessions,
  takeDecisions,
  takes,
} from "../../../db/schema/mod.ts";
import type { AppDeps, Principal } from "../../context.ts";
import { renderFileName } from "../jobs/file_names.ts";
import { isRender } from "../jobs/renders.ts";
import { personOf } from "./people.ts";

/** At most this many items are listed (newest first); `unread` counts them all. */
export const WHATS_NEW_LIMIT = 50;

const DECISION_WORDS = {
  approved: "approved",
  needs_changes: "needs changes",
  rejected: "rejected",
};

/** When the person last read the project: their marker, else when they arrived. */
async function readAtOf(deps: AppDeps, projectId: string, principal: Principal): Promise<number> {
  const [marker] = await deps.db.select({ at: reviewReads.readAt }).from(reviewReads)
    .where(and(eq(reviewReads.projectId, projectId), eq(reviewReads.person, personOf(principal))));
  if (marker) return marker.at;
  const [arrived] = principal.kind === "user"
    ? await deps.db.select({ at: projectMembers.createdAt }).from(projectMembers).where(and(
      eq(projectMembers.projectId, projectId),
      eq(projectMembers.userId, principal.user.id),
    ))
    : await deps.db.select({ at: sessions.createdAt }).from(sessions)
      .where(eq(sessions.id, principal.sessionId));
  return arrived?.at ?? 0;
}

export async function whatsNew(deps: AppDeps, projectId: string, principal: Principal) {
  const person = personOf(principal);
  const since = await readAtOf(deps, projectId, principal);
  const newTakes = and(
    eq(takes.projectId, projectId),
    isNotNull(takes.completedAt),
    gt(takes.completedAt, since),
    eq(takes.state, "ready"),
  );
  const newComments = and(
    eq(comments.projectId, projectId),
    gt(comments.createdAt, since),
    ne(comments.authorPerson, person),
  );
  const newDecisions = and(
    eq(takeDecisions.projectId, projectId),
    gt(takeDecisions.at, since),
    ne(takeDecisions.person, person),
  );
  const [takeRows, commentRows, decisionRows, counts] = await Promise.all([
    deps.db.select().from(takes).where(newTakes).orderBy(desc(takes.completedAt))
      .limit(WHATS_NEW_LIMIT),
    deps.db.select().from(comments).where(newComments).orderBy(desc(comments.createdAt))
      .limit(WHATS_NEW_LIMIT),
    deps.db.select().from(takeDecisions).where(newDecisions).orderBy(desc(takeDecisions.at))
      .limit(WHATS_NEW_LIMIT),
    Promise.all([
      deps.db.select({ n: count() }).from(takes).where(newTakes),
      deps.db.select({ n: count() }).from(comments).where(newComments),
      deps.db.select({ n: count() }).from(takeDecisions).where(newDecisions),
    ]),
  ]);
  const userId = principal.kind === "user" ? principal.user.id : null;
  const items: WhatsNewItem[] = [
    ...takeRows.map((t) =>
      isRender(t)
        ? {
          kind: "render" as const,
          at: t.completedAt!,
          id: t.id,
          nodeId: null,
          cutId: t.nodeId,
          by: null,
          text: `new render ${renderFileName(t)}`,
        }
        : {
          kind: "take" as const,
          at: t.completedAt!,
          id: t.id,
          nodeId: t.nodeId,
          cutId: null,
          by: null,
          text: `new take ${renderFileName(t)}`,
        }
    ),
    ...commentRows.map((c) => ({
      kind: userId !== null && c.mentions.includes(userId)
        ? "mention" as const
        : c.parentId === null
        ? "comment" as const
        : "reply" as const,
      at: c.createdAt,
      id: c.id,
      nodeId: c.nodeId || null,
      cutId: c.cutId,
      by: c.authorName,
      text: c.body.slice(0, 200),
    })),
    ...decisionRows.map((d) => ({
      kind: "decision" as const,
      at: d.at,
      id: d.takeId,
      nodeId: d.nodeId,
      cutId: null,
      by: d.name,
      text: DECISION_WORDS[d.decision] + (d.note ? `: ${d.note.slice(0, 200)}` : ""),
    })),
  ].sort((a, b) => b.at - a.at).slice(0, WHATS_NEW_LIMIT);
  const unread = counts.reduce((sum, [row]) => sum + (row?.n ?? 0), 0);
  return { you: person, since, unread, items };
}

/** Marks everything up to `until` (default: now) read; a marker never moves back. */
export async function markRead(
  deps: AppDeps,
  projectId: string,
  principal: Principal,
  until?: number,
): Promise<number> {
  const at = Math.min(until ?? deps.now(), deps.now());
  const [row] = await deps.db.insert(reviewReads).values({
    projectId,
    person: personOf(principal),
    readAt: at,
  }).onConflictDoUpdate({
    target: [reviewReads.projectId, reviewReads.person],
    set: { readAt: sql`max(${reviewReads.readAt}, ${at})` },
  }).returning({ readAt: reviewReads.readAt });
  return row!.readAt;
}
