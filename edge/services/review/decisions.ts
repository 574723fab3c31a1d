/**
 * Decisions on takes: approve, needs changes or reject, with an optional note. One row per
 * person and take (deciding again replaces it), so what a take and its node card show is each
 * person's latest word. A decision never touches the select: that stays the editors' choice.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Decision, ReviewAuthor, TakeDecision } from "../../../protocol/review.ts";
import { takeDecisions, takes } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { notFound } from "../../errors.ts";

type DecisionRow = typeof takeDecisions.$inferSelect;

function publicDecision(row: DecisionRow): TakeDecision {
  return {
    takeId: row.takeId,
    nodeId: row.nodeId,
    decision: row.decision,
    note: row.note,
    by: { person: row.person, name: row.name, role: row.role },
    at: row.at,
  };
}

export async function decide(
  deps: AppDeps,
  projectId: string,
  author: ReviewAuthor,
  takeId: string,
  input: { decision: Decision; note?: string | undefined },
): Promise<TakeDecision> {
  const [take] = await deps.db.select({ nodeId: takes.nodeId }).from(takes).where(and(
    eq(takes.id, takeId),
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
  )).limit(1);
  if (!take) throw notFound("take");
  const row: DecisionRow = {
    projectId,
    takeId,
    nodeId: take.nodeId,
    person: author.person,
    name: author.name,
    role: author.role,
    decision: input.decision,
    note: input.note?.trim() ?? "",
    at: deps.now(),
  };
  await deps.db.insert(takeDecisions).values(row).onConflictDoUpdate({
    target: [takeDecisions.takeId, takeDecisions.person],
    set: { name: row.name, role: row.role, decision: row.decision, note: row.note, at: row.at },
  });
  const decision = publicDecision(row);
  deps.notifier.notify(projectId, { type: "review.update", change: "decision.made", decision });
  return decision;
}

/** Each person's latest decision on each take of the project (or of one take), newest first. */
export async function listDecisions(
  deps: AppDeps,
  projectId: string,
  filter: { takeId?: string; nodeId?: string },
): Promise<TakeDecision[]> {
  const rows = await deps.db.select().from(takeDecisions).where(and(
    eq(takeDecisions.projectId, projectId),
    filter.takeId === undefined ? undefined : eq(takeDecisions.takeId, filter.takeId),
    filter.nodeId === undefined ? undefined : eq(takeDecisions.nodeId, filter.nodeId),
    // Decisions made in one millisecond: the one written last first (a changed decision keeps
    // its row, so one changed in the same millisecond as another's first can still tie).
  )).orderBy(desc(takeDecisions.at), desc(sql`rowid`));
  return rows.map(publicDecision);
}
