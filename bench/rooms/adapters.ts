/**
 * The same bench client behaviour (edit a node of its own, move a cursor) spoken in each of the
 * room implementations' protocols. An edit carries its send time and the sender's counter,
 * so receivers measure latency and notice lost or reordered edits.
 */
import * as Y from "yjs";
import * as yProvider from "y-partykit/provider";

// Deno reads this package's types as CommonJS; the ESM build's default export is the class.
type Provider = InstanceType<typeof yProvider.WebsocketProvider>;
type ProviderClass = new (
  host: string,
  room: string,
  doc: Y.Doc,
  options: { party: string; protocol: "ws" },
) => Provider;
const YPartyKitProvider = yProvider.default as unknown as ProviderClass;
import { PROTOCOL_VERSION, type ServerMessage } from "../../protocol/canvas.ts";
import { signRoomTicket } from "../../protocol/room_ticket.ts";

export type OnEdit = (from: number, n: number, sentAt: number) => void;

export interface BenchClient {
  edit(n: number, sentAt: number): void;
  cursor(x: number, y: number): void;
  close(): void;
  rejects: number;
}

export interface RoomImpl {
  /** "alt": our room built from another copy of party/ (cpu_per_op.ts --alt), for A/B runs. */
  name: "ours" | "plain" | "persist" | "yjs" | "alt";
  connect(room: string, index: number, onEdit: OnEdit): Promise<BenchClient>;
}

/** Bench clients must not hang the run when the server goes away mid-handshake. */
function _within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function _open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

export function oursImpl(host: string, secret: string, party: "main" | "alt" = "main"): RoomImpl {
  return {
    name: party === "main" ? "ours" : "alt",
    async connect(room, index, onEdit) {
      const ticket = await signRoomTicket(
        {
          sub: `u${index}`,
          project: room,
          role: "editor",
          name: `u${index}`,
          iat: Date.now(),
          exp: Date.now() + 3_600_000,
        },
        secret,
      );
      const ws = await _open(
        `ws://${host}/parties/${party}/${room}?ticket=${encodeURIComponent(ticket)}`,
      );
      const nodeId = `b${index}`;
      const client = jsonClient(ws, nodeId);
      const created = new Promise<void>((resolve) => {
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data) as ServerMessage;
          if (m.type === "state.update" && m.op.type === "node.update") {
            onEdit(Number(m.op.id.slice(1)), m.op.set.y!, m.op.set.x!);
          } else if (m.type === "ack" && m.opId === "create") resolve();
          else if (m.type === "reject") {
            if (m.opId === "create") resolve(); // already there from an earlier phase
            else client.rejects++;
          }
        };
      });
      ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION }));
      ws.send(JSON.stringify({
        type: "node.create",
        opId: "create",
        node: { id: nodeId, type: "shot.generate", title: nodeId, x: 0, y: 0, params: {} },
      }));
      await _within(created, `room ${room} client ${index} create`);
      return client;
    },
  };
}

/**
 * The plain and persist rooms relay the very frames our clients send (same edit and cursor
 * JSON), so they carry the same bytes in; what they send out lacks only our envelope (seq, opId,
 * by).
 */
export function relayImpl(host: string, party: "plain" | "persist"): RoomImpl {
  return {
    name: party,
    async connect(room, index, onEdit) {
      const ws = await _open(`ws://${host}/parties/${party}/${room}`);
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === "node.update") onEdit(Number(m.id.slice(1)), m.set.y, m.set.x);
      };
      return jsonClient(ws, `b${index}`);
    },
  };
}

/** Edit `n` of node `nodeId`, as our room's protocol has it (`x` carries the send time). */
export function editFrame(nodeId: string, n: number, sentAt: number): string {
  return JSON.stringify({
    type: "node.update",
    opId: `${n}`,
    id: nodeId,
    set: { x: sentAt, y: n },
  });
}

/** A client sending edit and cursor frames as JSON: the same bytes to ours and to plain. */
function jsonClient(ws: WebSocket, nodeId: string): BenchClient {
  return {
    rejects: 0,
    edit: (n, sentAt) => ws.send(editFrame(nodeId, n, sentAt)),
    cursor: (x, y) => ws.send(JSON.stringify({ type: "cursor.move", x, y })),
    close: () => ws.close(),
  };
}

export function yjsImpl(host: string): RoomImpl {
  return {
    name: "yjs",
    async connect(room, index, onEdit) {
      const doc = new Y.Doc();
      const provider = new YPartyKitProvider(host, room, doc, { party: "yjs", protocol: "ws" });
      await _within(
        new Promise<void>((resolve) => provider.once("synced", () => resolve())),
        `yjs ${room} sync`,
      );
      const nodes = doc.getMap<Y.Map<number>>("nodes");
      const mine = new Y.Map<number>();
      nodes.set(`b${index}`, mine);
      nodes.observeDeep((events, tx) => {
        if (tx.local) return;
        for (const event of events) {
          if (event.target === nodes) continue;
          const target = event.target as Y.Map<number>;
          if (!event.keys.has("y")) continue;
          const key = event.path[0] as string;
          onEdit(Number(key.slice(1)), target.get("y")!, target.get("x")!);
        }
      });
      return {
        rejects: 0,
        edit: (n, sentAt) =>
          doc.transact(() => {
            mine.set("x", sentAt);
            mine.set("y", n);
          }),
        cursor: (x, y) => provider.awareness.setLocalStateField("cursor", { x, y }),
        close: () => {
          provider.destroy();
          doc.destroy();
        },
      };
    },
  };
}
