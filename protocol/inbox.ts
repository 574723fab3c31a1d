/**
 * A person's inbox: one PartyKit room per signed-in user (`/parties/inbox/{userId}`) that tells
 * their open dashboards that something of theirs changed elsewhere (an owner invited them, their
 * membership changed, someone mentioned them in a comment), so the page reloads that list at once
 * instead of on the next visit.
 *
 * Frames carry no data, only what to reload: a socket outliving its session (signed out, account
 * deleted) learns nothing, and the page reads the list itself through the API, which checks
 * who is asking. The edge posts events; the inbox room relays them to the user's sockets.
 * No imports, so the dashboard's bundle stays small; tickets are in inbox_ticket.ts.
 *
 * @example
 * ```ts
 * parseInboxEvent('{"type":"inbox.changed","what":"invites"}'); // { type: "inbox.changed", what: "invites" }
 * parseInboxEvent('{"type":"inbox.changed","what":"all"}'); // null
 * ```
 */

/** The PartyKit party (partykit.json `parties`) that serves inboxes. */
export const INBOX_PARTY = "inbox";

/** Sockets one person may hold open on their inbox (one per dashboard tab). */
export const MAX_INBOX_SOCKETS = 16;

/** Close codes of the inbox room. */
export const INBOX_CLOSE_CODES = {
  /** Over `MAX_INBOX_SOCKETS`: the page says to close some tabs. */
  tooManyConnections: 4429,
} as const;

/**
 * What changed, so the page reloads that list. `invites`: an invitation to this person was
 * made, renewed or withdrawn; `projects`: one of their memberships changed; `mentions`: a comment
 * names them with `@Name` (`GET /api/inbox/mentions`).
 */
export const INBOX_CHANGES = ["invites", "projects", "mentions"] as const;
export type InboxChange = typeof INBOX_CHANGES[number];

export interface InboxEvent {
  type: "inbox.changed";
  what: InboxChange;
}

/** The event in a JSON text, or null for anything else (extra fields included). */
export function parseInboxEvent(text: string): InboxEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { type, what, ...rest } = value as Record<string, unknown>;
  if (type !== "inbox.changed" || Object.keys(rest).length > 0) return null;
  return INBOX_CHANGES.includes(what as InboxChange) ? { type, what: what as InboxChange } : null;
}
