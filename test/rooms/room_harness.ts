/**
 * Drives a `CanvasRoom` in memory: fake sockets that record what they receive, a fake edge
 * that records flushes (and can be made unreachable), tickets, and a fake clock. A frame sent
 * through the harness is its own turn: the messages the room holds for the next turn (behind the
 * frame's writes, party/group_commit.ts) are out when `send` returns.
 */
import type { ServerMessage } from "../../protocol/canvas.ts";
import { emptyGraph, type Graph } from "../../protocol/graph.ts";
import type { Role, RoomTicket } from "../../protocol/room_ticket.ts";
import { MemoryStorage } from "../../party/memory_storage.ts";
import type { EdgeApi, FlushRequest, RoomSocket } from "../../party/ports.ts";
import { CanvasRoom } from "../../party/room.ts";
import { FakeClock } from "../fakes/fake_clock.ts";

export class FakeSocket implements RoomSocket {
  received: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  constructor(readonly id: string, private readonly onClose?: (id: string) => void) {}
  send(text: string): void {
    this.received.push(JSON.parse(text));
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.onClose?.(this.id);
  }
  /** Messages of one type received so far. */
  of<T extends ServerMessage["type"]>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
  }
}

export class FakeEdge implements EdgeApi {
  flushes: FlushRequest[] = [];
  loads = 0;
  down = false;
  /** Stored revisions a revert can load, by number. */
  revisions: Record<number, Graph> = {};
  /** While set, flushes wait for it (a flush in flight). */
  gate: Promise<void> | null = null;
  constructor(
    public current: { revision: number; graph: Graph } | null = {
      revision: 3,
      graph: emptyGraph(),
    },
  ) {}
  loadGraph() {
    this.loads++;
    if (this.down) return Promise.reject(new Error("edge unreachable"));
    return Promise.resolve(this.current && structuredClone(this.current));
  }
  loadRevision(revision: number) {
    const graph = this.revisions[revision];
    if (this.down || !graph) return Promise.reject(new Error(`no revision ${revision}`));
    return Promise.resolve(structuredClone(graph));
  }
  async flushRevision(request: FlushRequest) {
    const copy = structuredClone(request);
    await this.gate;
    if (this.down) throw new Error("edge unreachable");
    this.flushes.push(copy);
    return { revision: 100 + this.flushes.length };
  }
}

/** Issued at `TICKET_IAT` on the edge's clock unless told otherwise. */
export function ticket(
  sub: string,
  role: Role = "editor",
  project = "p1",
  extra: Partial<RoomTicket> = {},
): RoomTicket {
  return {
    sub,
    project,
    role,
    name: sub.toUpperCase(),
    iat: TICKET_IAT,
    exp: 2_000_000_000_000,
    ...extra,
  };
}
export const TICKET_IAT = 1_000_000;

export interface Harness {
  room: CanvasRoom;
  clock: FakeClock;
  storage: MemoryStorage;
  edge: FakeEdge;
  /** Connects, says hello and clears the welcome messages. */
  join(sub: string, role?: Role, extra?: Partial<RoomTicket>): FakeSocket;
  /** Sends one frame, then lets the turn end (what it wrote is stored, what it said is out). */
  send(socket: FakeSocket, message: object): void;
}

export async function makeRoom(
  options: {
    storage?: MemoryStorage;
    edge?: FakeEdge;
    clock?: FakeClock;
    logLimit?: number;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new FakeClock();
  const storage = options.storage ?? new MemoryStorage();
  const edge = options.edge ?? new FakeEdge();
  const room = new CanvasRoom("p1", {
    storage,
    edge,
    clock,
    logLimit: options.logLimit ?? 1000,
  });
  await room.load();
  let n = 0;
  const send = (socket: FakeSocket, message: object) => {
    room.message(socket.id, JSON.stringify(message));
    clock.fireDue();
  };
  const join = (sub: string, role: Role = "editor", extra: Partial<RoomTicket> = {}) => {
    const socket = new FakeSocket(`c${++n}-${sub}`, (id) => room.disconnect(id));
    room.connect(socket, ticket(sub, role, "p1", extra));
    send(socket, { type: "hello", protocol: 2 });
    socket.received = [];
    return socket;
  };
  return { room, clock, storage, edge, join, send };
}

export function shotNode(id: string, x = 0) {
  return { id, type: "shot.generate", title: `Shot ${id}`, x, y: 0, params: { prompt: "a door" } };
}
