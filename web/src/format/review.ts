/** Words for review: who wrote or decided, and what a decision says. */
import type { Decision, ReviewAuthor, TakeDecision } from "../../../protocol/review.ts";

export const DECISION_LABELS: Record<Decision, string> = {
  approved: "approved",
  needs_changes: "needs changes",
  rejected: "rejected",
};

/** "Cleo (guest)", "Rita (reviewer)". */
export function authorLabel(a: Pick<ReviewAuthor, "name" | "role">): string {
  return `${a.name} (${a.role})`;
}

/** "approved by Cleo (guest)". */
export function decisionLine(d: Pick<TakeDecision, "decision" | "by">): string {
  return `${DECISION_LABELS[d.decision]} by ${authorLabel(d.by)}`;
}
