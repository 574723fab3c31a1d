/**
 * The PartyKit server: one instance per project room (`/parties/main/{projectId}`). Thin by
 * design: tickets are checked in `onBeforeConnect` before the socket opens, the project is
 * loaded in `onStart`, and everything else is `CanvasRoom`'s.
 *
 * Vars: `ROOM_SECRET` (ticket HMAC key and the edge's bearer token), `EDGE_URL`.
 */
import type * as Party from "partykit/server";
import { parseEdgeEvent } from "../protocol/canvas.ts";
import { systemClock } from "../protocol/clock.ts";
import { type RoomTicket, verifyRoomTicket } from "../protocol/room_ticket.ts";
import { httpEdgeApi } from "./edge_client.ts";
import { CanvasRoom, RoomRefusal } from "./room.ts";

function _vars(env: Record<string, unknown>): { secret: string; edgeUrl: string } {
  const secret = env.ROOM_SECRET;
  const edgeUrl = env.EDGE_URL;
  if (typeof secret !== "string" || secret.length < 16) {
    throw new Error("ROOM_SECRET (16+ chars) is not set");
  }
  if (typeof edgeUrl !== "string" || !/^https?:\/\//.test(edgeUrl)) {
    throw new Error("EDGE_URL is not set");
  }
  return { secret, edgeUrl };
}

async function _ticket(
  req: Request,
  roomId: string,
  secret: string,
): Promise<RoomTicket | Response> {
  const raw = new URL(req.url).searchParams.get("ticket");
  if (!raw) return new Response("ticket query parameter is required", { status: 401 });
  const ticket = await verifyRoomTicket(raw, secret, Date.now());
  if (!ticket) return new Response("ticket is invalid or expired", { status: 401 });
  if (ticket.project !== roomId) {
    return new Response("ticket is for another project", { status: 403 });
  }
  return ticket;
}

/** The part of Durable Object storage the room uses. */
interface DurableStorage {
  get<T>(key: string): Promise<T | undefined>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<number>;
}

export default class MainParty implements Party.Server {
  readonly #room: CanvasRoom;
  readonly #secret: string;

  constructor(readonly party: Party.Room) {
    const { secret, edgeUrl } = _vars(party.env);
    this.#secret = secret;
    // partykit's own types lean on @cloudflare/workers-types, which we do not install.
    const storage = party.storage as unknown as DurableStorage;
    this.#room = new CanvasRoom(party.id, {
      clock: systemClock,
      edge: httpEdgeApi(edgeUrl, secret, party.id),
      storage: {
        get: (key) => storage.get(key),
        list: (prefix) => storage.list({ prefix }),
        put: (entries) => storage.put(entries),
        delete: async (keys) => void await storage.delete(keys),
      },
    });
  }

  /** Refuses bad, expired and other-project tickets before the WebSocket opens. */
  static async onBeforeConnect(
    req: Party.Request,
    lobby: Party.Lobby,
  ): Promise<Party.Request | Response> {
    const result = await _ticket(req as unknown as Request, lobby.id, _vars(lobby.env).secret);
    return result instanceof Response ? result : req;
  }

  async onStart(): Promise<void> {
    await this.#loadOrLog();
  }

  async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    // onBeforeConnect already refused bad tickets; read the identity from the same ticket.
    const ticket = await _ticket(ctx.request as unknown as Request, this.party.id, this.#secret);
    if (ticket instanceof Response) return conn.close(4401, "bad ticket");
    // PartyKit lets a second first-connection in while onStart is still loading; wait for it here
    // (no frame can arrive before onConnect returns: the upgrade completes after it).
    await this.#loadOrLog();
    this.#room.connect(conn, ticket);
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection): void {
    if (typeof message !== "string") {
      return sender.send(
        JSON.stringify({
          type: "reject",
          opId: null,
          code: "invalid",
          reason: "frames are JSON text",
        }),
      );
    }
    this.#room.message(sender.id, message);
  }

  onClose(conn: Party.Connection): void {
    this.#room.disconnect(conn.id);
  }

  onError(conn: Party.Connection): void {
    this.#room.disconnect(conn.id);
  }

  /**
   * The edge's notifier: job events and member removal, and the two graph requests the edge
   * waits on (`graph.flush` before it queues a job, `graph.revert`), answered `{revision}`.
   */
  async onRequest(req: Request): Promise<Response> {
    if (req.method !== "POST") return Response.json({ error: "POST an event" }, { status: 405 });
    if (req.headers.get("authorization") !== `Bearer ${this.#secret}`) {
      return Response.json({ error: "wrong room secret" }, { status: 401 });
    }
    const parsed = parseEdgeEvent(await req.text());
    if (!parsed.ok) {
      return Response.json({ error: parsed.reason, field: parsed.field }, { status: 400 });
    }
    if ((await this.#loadOrLog()) !== "ready") {
      return Response.json({ error: "room not loaded" }, { status: 503 });
    }
    try {
      return Response.json(await this.#room.edgeEvent(parsed.value));
    } catch (error) {
      if (error instanceof RoomRefusal) {
        const { code, field, reason } = error.refusal;
        return Response.json({ error: reason, code, field }, { status: 409 });
      }
      // A graph request whose revision the edge could not store: say so, not a bare 500.
      return Response.json({ error: `${parsed.value.type}: ${error}` }, { status: 502 });
    }
  }

  async #loadOrLog(): Promise<string> {
    try {
      return await this.#room.load();
    } catch (error) {
      console.error(`room ${this.party.id}: could not load the project from the edge: ${error}`);
      return "unloaded";
    }
  }
}
