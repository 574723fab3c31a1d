/**
 * The inbox party (`/parties/inbox/{userId}`, protocol/inbox.ts): relays the edge's "your
 * invites / your projects changed" events to that user's open dashboards. It keeps no state and
 * reads nothing from its sockets; a socket needs an inbox ticket for this very user.
 *
 * Vars: `ROOM_SECRET` (ticket HMAC key and the edge's bearer token).
 */
import type * as Party from "partykit/server";
import { INBOX_CLOSE_CODES, MAX_INBOX_SOCKETS, parseInboxEvent } from "../protocol/inbox.ts";
import { verifyInboxTicket } from "../protocol/inbox_ticket.ts";

function _secret(env: Record<string, unknown>): string {
  const secret = env.ROOM_SECRET;
  if (typeof secret !== "string" || secret.length < 16) {
    throw new Error("ROOM_SECRET (16+ chars) is not set");
  }
  return secret;
}

export default class InboxParty implements Party.Server {
  readonly #secret: string;

  constructor(readonly party: Party.Room) {
    this.#secret = _secret(party.env);
  }

  /** Refuses missing, bad, expired and other people's tickets before the socket opens. */
  static async onBeforeConnect(
    req: Party.Request,
    lobby: Party.Lobby,
  ): Promise<Party.Request | Response> {
    const raw = new URL((req as unknown as Request).url).searchParams.get("ticket");
    if (!raw) return new Response("ticket query parameter is required", { status: 401 });
    const ticket = await verifyInboxTicket(raw, _secret(lobby.env), Date.now());
    if (!ticket) return new Response("ticket is invalid or expired", { status: 401 });
    if (ticket.sub !== lobby.id) {
      return new Response("ticket is for another inbox", { status: 403 });
    }
    return req;
  }

  onConnect(conn: Party.Connection): void {
    if ([...this.party.getConnections()].length > MAX_INBOX_SOCKETS) {
      conn.close(INBOX_CLOSE_CODES.tooManyConnections, "too many open dashboards");
    }
  }

  /** The edge posts one event (protocol/inbox.ts) with the room secret; it goes to every socket. */
  async onRequest(req: Request): Promise<Response> {
    if (req.method !== "POST") return Response.json({ error: "POST an event" }, { status: 405 });
    if (req.headers.get("authorization") !== `Bearer ${this.#secret}`) {
      return Response.json({ error: "wrong room secret" }, { status: 401 });
    }
    const event = parseInboxEvent(await req.text());
    if (!event) {
      return Response.json({
        error: 'send {"type": "inbox.changed", "what": "invites" | "projects" | "mentions"}',
      }, {
        status: 400,
      });
    }
    this.party.broadcast(JSON.stringify(event));
    return Response.json({ ok: true });
  }
}
