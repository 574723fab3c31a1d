/**
 * Plain-language lines for the activity log and version lists: "Ana updated character Hero",
 * "3 min ago". Pure, so the wording is tested once and every panel reads the same.
 */
import type { ActivityEntry } from "../api/types.ts";

const VERBS: Record<string, string> = {
  "asset.create": "created",
  "asset.update": "updated",
  "asset.delete": "deleted",
  "asset.rollback": "rolled back",
  "job.queue": "queued a run of",
  "job.cancel": "canceled job",
  "job.retry": "retried job",
  "member.add": "added member",
  "member.join": "joined as",
  "invite.create": "invited",
  "invite.revoke": "withdrew the invitation of",
  "invite.decline": "declined to join as",
  "member.role": "changed the role of",
  "member.remove": "removed member",
  "project.create": "created the project",
  "project.update": "changed the project's",
  "graph.revert": "reverted the canvas to",
  "take.select": "selected",
  "share_link.create": "created share link",
  "share_link.revoke": "revoked share link",
};

/** "Ana updated character Hero"; an unknown action is shown as its code, never dropped. */
export function describeActivity(entry: ActivityEntry): string {
  const who = entry.actorName ?? "Someone";
  const verb = VERBS[entry.action] ?? entry.action;
  return entry.subject ? `${who} ${verb} ${entry.subject}` : `${who} ${verb}`;
}

/** Whether an entry is about the asset library (the "assets only" filter). */
export function isAssetActivity(entry: ActivityEntry): boolean {
  return entry.action.startsWith("asset.");
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function timeAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return "just now";
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.round(h / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return new Date(at).toLocaleDateString();
}

/** "14 days", "5 h", "20 min", "a moment" until `at`; "expired" once it passed. */
export function timeLeft(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  if (s <= 0) return "expired";
  if (s < 60) return "a moment";
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}
