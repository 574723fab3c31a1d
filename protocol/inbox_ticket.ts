/**
 * Inbox tickets: what the edge signs (`GET /api/inbox/ticket`) and the inbox room verifies
 * before a person's inbox socket opens (protocol/inbox.ts). Signed like room tickets, with the
 * same key; `kind` keeps one from passing for the other.
 *
 * @example
 * ```ts
 * const ticket = await signInboxTicket({ kind: "inbox", sub: "u1", exp: Date.now() + 60_000 }, secret);
 * await verifyInboxTicket(ticket, secret, Date.now()); // { kind: "inbox", sub: "u1", exp }
 * ```
 */
import { z } from "zod";
import { signTicket, verifyTicket } from "./room_ticket.ts";

export const inboxTicketSchema = z.object({
  kind: z.literal("inbox"),
  /** The user id: the inbox it opens. */
  sub: z.string().min(1),
  /** Expiry, milliseconds since the epoch. */
  exp: z.number(),
}).strict();
export type InboxTicket = z.infer<typeof inboxTicketSchema>;

export function signInboxTicket(payload: InboxTicket, secret: string): Promise<string> {
  return signTicket(payload, secret);
}

/** The ticket's payload when signed with `secret`, unexpired and an inbox ticket; else null. */
export function verifyInboxTicket(
  ticket: string,
  secret: string,
  now: number,
): Promise<InboxTicket | null> {
  return verifyTicket(ticket, secret, now, inboxTicketSchema);
}
