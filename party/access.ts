/**
 * Who may do what in the room, as the edge last said. The edge issues tickets with the role it
 * read (and when: `iat`), and posts `access.changed` when an owner changes a role, removes a
 * member or revokes a share link. The room keeps the latest change per access subject, so that
 * a ticket issued before a change carries the new role (or none), on a socket already open or
 * one opened later, and roles change on open sockets.
 *
 * @example
 * ```ts
 * const records = new Map([["u1", { role: "reviewer", at: 1_000 }]]);
 * ticketAccess({ sub: "u1", role: "editor", iat: 900, ... }, records); // { role: "reviewer", since: 1_000 }
 * ```
 */
import { accessSubjects, type Role, type RoomTicket } from "../protocol/room_ticket.ts";

/** One change the edge made: from `at` (edge clock) on, the subject has `role` (null: none). */
export interface AccessRecord {
  role: Role | null;
  at: number;
}

/** A socket's access: its role (null: none), and the time of the word it rests on (edge clock). */
export interface Access {
  role: Role | null;
  since: number;
}

/**
 * What a ticket grants now: its own role, unless the edge changed one of its subjects at or after
 * it was issued (same millisecond included: a ticket issued after the change already carries the
 * new role, so capping it costs nothing). Losing access through any subject wins.
 */
export function ticketAccess(
  ticket: Pick<RoomTicket, "sub" | "link" | "role" | "iat">,
  records: ReadonlyMap<string, AccessRecord>,
): Access {
  let access: Access = { role: ticket.role, since: ticket.iat };
  for (const subject of accessSubjects(ticket)) {
    const record = records.get(subject);
    if (!record || record.at < ticket.iat) continue;
    if (record.role === null) return { role: null, since: record.at };
    if (record.at >= access.since) access = { role: record.role, since: record.at };
  }
  return access;
}

/** Whether `record` is newer than what is known (events from several edge threads can cross). */
export function isNewer(record: AccessRecord, known: AccessRecord | undefined): boolean {
  return known === undefined || record.at >= known.at;
}
