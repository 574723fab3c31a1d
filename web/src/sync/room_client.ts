/**
 * The studio's connection to its project room (protocol/canvas.ts). Framework-free: it owns
 * the socket, the replica of the room graph (replica.ts: confirmed ops plus this user's
 * pending ones) and reconnection, and reports through callbacks the Solid layer binds to
 * stores. Local edits are applied optimistically by the caller and sent here; a reject hands
 * back the graph as the room decided it, with the reason.
 *
 * Drag steps (`transient`) are coalesced per node and sent at most every `flushMs`, so a
 * drag costs the room ~20 ops a second, not one per pointer event; a drag of many nodes is
 * spaced further (`STEP_OP_MS` per node), so it stays near 200 ops a second: each op is a
 * message each way (the op, its ack) on the page's main thread as well as the room's.
 */
import {
  CLOSE_CODES,
  type GraphOp,
  type JobEvent,
  type Peer,
  PROTOCOL_VERSION,
  type RejectCode,
  type ServerMessage,
} from "../../../protocol/canvas.ts";
import type { Clock } from "../../../protocol/clock.ts";
import type { Graph } from "../../../protocol/graph.ts";
import { CanvasReplica } from "./replica.ts";
import type { RoomTicketGrant } from "../api/types.ts";
import { applyChanges, type Change } from "../canvas/changes.ts";

/** Where the connection stands; the toolbar shows it. */
export type ConnectionState =
  | { kind: "connecting"; attempt: number }
  | { kind: "live" }
  | { kind: "offline"; reason: string; retryInMs: number }
  | { kind: "closed"; reason: string };

/** The part of WebSocket this client uses, so tests can hand it a fake. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export interface RoomCallbacks {
  /** Replace the whole drawn graph (snapshot, or rollback after a reject). */
  graph(graph: Graph): void;
  /**
   * A teammate's ops, in room order; `by` is the author's user id. With `rebased` null the ops
   * land on the drawn graph as they are; otherwise this user has edits in flight and `rebased`
   * (the room's graph with them on top) replaces the drawn graph, the ops saying what changed.
   */
  remoteOps(ops: GraphOp[], by: string | null, rebased: Graph | null): void;
  /** The room refused one of this user's edits (`op`, null for a frame it could not read). */
  rejected(reason: string, code: RejectCode, op: GraphOp | null): void;
  connection(state: ConnectionState): void;
  peers(you: Peer | null, peers: Peer[]): void;
  cursors(cursors: { connectionId: string; x: number; y: number }[]): void;
  selections(selections: { connectionId: string; nodeIds: string[] }[]): void;
  job(event: JobEvent): void;
}

export interface RoomClientOptions {
  ticket(): Promise<RoomTicketGrant>;
  connect(url: string): SocketLike;
  clock: Clock;
  /** A number in [0, 1) for the reconnect jitter; `Math.random` unless a test pins it. */
  random?: () => number;
  callbacks: RoomCallbacks;
  flushMs?: number;
}

const OPEN = 1;
/** Drag steps are spaced by at least this much per node in them. */
const STEP_OP_MS = 5;
const MAX_BACKOFF_MS = 10_000;
/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSES: Record<number, string> = {
  [CLOSE_CODES.incompatible]: "the studio was updated: reload the page",
  [CLOSE_CODES.unknownProject]: "this project no longer exists",
  [CLOSE_CODES.removed]: "you no longer have access to this project",
  [CLOSE_CODES.tooManyConnections]:
    "this project is open in too many tabs or windows: close some, then reload this one",
};

export class RoomClient {
  readonly replica = new CanvasReplica();
  readonly #o: RoomClientOptions;
  #socket: SocketLike | null = null;
  #attempt = 0;
  #cancelRetry: (() => void) | null = null;
  #cancelFlush: (() => void) | null = null;
  /** Drag steps not yet sent, latest per node. */
  #outbox = new Map<string, Change>();
  #peers = new Map<string, Peer>();
  #you: Peer | null = null;
  #stopped = false;
  #live = false;
  /** settled() calls waiting for the room to answer these ops. */
  #waiters: { opIds: Set<string>; done: () => void }[] = [];

  constructor(options: RoomClientOptions) {
    this.#o = options;
  }

  get live(): boolean {
    return this.#live;
  }

  start(): void {
    this.#stopped = false;
    void this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, "left the project");
    }
  }

  /** Retry at once (the browser came back online). */
  reconnectNow(): void {
    if (this.#stopped || this.#socket) return;
    this.#cancelRetry?.();
    void this.#open();
  }

  /** Sends local edits (already applied to the drawn graph). */
  send(changes: readonly Change[], transient: boolean): void {
    if (transient) {
      for (const c of changes) if (c.type === "node.update") this.#outbox.set(c.id, c);
      const wait = Math.max(this.#o.flushMs ?? 50, this.#outbox.size * STEP_OP_MS);
      this.#cancelFlush ??= this.#o.clock.setTimer(() => this.#flush(), wait);
      return;
    }
    // A final step supersedes the drag steps of the same nodes.
    for (const c of changes) if (c.type === "node.update") this.#outbox.delete(c.id);
    this.#flush();
    for (const change of changes) this.#post(change);
  }

  /**
   * Resolves once the room has answered (acked or refused) every edit sent so far, so a request
   * that has the edge read the room's graph (Generate) finds them there. Rejects after
   * `timeoutMs` when the room does not answer; the edits stay pending and go out on reconnect.
   */
  settled(timeoutMs = 10_000): Promise<void> {
    this.#flush(); // drag steps not sent yet go now
    const opIds = new Set(this.replica.pending.map((p) => p.opId));
    if (opIds.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        opIds,
        done: () => {
          cancel();
          resolve();
        },
      };
      const cancel = this.#o.clock.setTimer(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error("your latest edits have not reached the room yet; try again"));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  cursor(x: number, y: number): void {
    this.#raw({ type: "cursor.move", x, y });
  }

  selection(nodeIds: string[]): void {
    this.#raw({ type: "selection.change", nodeIds });
  }

  #flush(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    const pending = [...this.#outbox.values()];
    this.#outbox.clear();
    for (const change of pending) this.#post(change);
  }

  #post(change: Change): void {
    // Recorded as pending even while offline: the replica resends it after the reconnect.
    const message = this.replica.local(change);
    if (this.#live) this.#raw(message);
  }

  #raw(message: object): void {
    if (this.#socket?.readyState === OPEN) this.#socket.send(JSON.stringify(message));
  }

  async #open(): Promise<void> {
    this.#cancelRetry = null;
    this.#attempt++;
    this.#o.callbacks.connection({ kind: "connecting", attempt: this.#attempt });
    let grant: RoomTicketGrant;
    try {
      grant = await this.#o.ticket();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 404) {
        return this.#final("you no longer have access to this project");
      }
      return this.#retry(`cannot get a room ticket: ${(error as Error).message}`);
    }
    if (this.#stopped) return;
    const socket = this.#o.connect(`${grant.roomUrl}?ticket=${encodeURIComponent(grant.ticket)}`);
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(this.replica.hello(PROTOCOL_VERSION)));
    socket.onmessage = (ev) => this.#receive(String(ev.data));
    socket.onerror = () => {}; // onclose follows and decides
    socket.onclose = (ev) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#live = false;
      const final = FINAL_CLOSES[ev.code];
      if (final) this.#final(final);
      else this.#retry(ev.reason || "connection lost");
    };
  }

  #receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return; // not ours to crash on; the room only sends JSON
    }
    this.#handle(message);
    if (this.#waiters.length > 0) this.#wake();
  }

  /** Resolves the settled() calls whose ops the room has all answered. */
  #wake(): void {
    const pending = new Set(this.replica.pending.map((p) => p.opId));
    const still = this.#waiters.filter((w) => [...w.opIds].some((id) => pending.has(id)));
    const done = this.#waiters.filter((w) => !still.includes(w));
    this.#waiters = still;
    for (const w of done) w.done();
  }

  #handle(message: ServerMessage): void {
    const cb = this.#o.callbacks;
    switch (message.type) {
      case "welcome":
        this.#live = true;
        this.#attempt = 0;
        this.#you = message.you;
        this.#peers = new Map(message.peers.map((p) => [p.connectionId, p]));
        cb.peers(this.#you, [...this.#peers.values()]);
        // Edits made while offline go out now; the room acks any it already applied.
        for (const pending of this.replica.resend()) this.#raw(pending);
        cb.connection({ kind: "live" });
        return;
      case "incompatible":
        return this.#final(message.reason);
      case "state.snapshot":
        this.replica.receive(message);
        return cb.graph(this.#view());
      case "state.update": {
        const mine = this.replica.pending.some((p) => p.opId === message.opId);
        const hadPending = this.replica.pending.length > 0;
        if (!this.replica.receive(message)) {
          if (this.replica.needsResync) this.#resync();
          return;
        }
        if (mine) return;
        // With nothing of ours in flight the op lands as is; otherwise rebase on the replica.
        return cb.remoteOps([message.op], message.by, hadPending ? this.#view() : null);
      }
      case "ack":
        this.replica.receive(message);
        if (this.replica.needsResync) this.#resync();
        return;
      case "reject": {
        if (message.opId === null) return cb.rejected(message.reason, message.code, null);
        const refused = this.replica.pending.find((p) => p.opId === message.opId);
        if (!refused) return;
        this.replica.receive(message);
        cb.rejected(message.reason, message.code, refused.op);
        return cb.graph(this.#view());
      }
      case "user.joined":
        this.#peers.set(message.peer.connectionId, message.peer);
        return cb.peers(this.#you, [...this.#peers.values()]);
      case "user.left":
        this.#peers.delete(message.connectionId);
        return cb.peers(this.#you, [...this.#peers.values()]);
      case "user.updated":
        // A role changed while connected (this user's own, too: the room enforces it already).
        if (message.peer.connectionId === this.#you?.connectionId) this.#you = message.peer;
        else this.#peers.set(message.peer.connectionId, message.peer);
        return cb.peers(this.#you, [...this.#peers.values()]);
      case "cursor.update":
        return cb.cursors(message.cursors);
      case "selection.update":
        return cb.selections(message.selections);
      case "progress.update":
      case "generation.complete":
      case "error.occurred":
        return cb.job(message);
      case "pong":
        return;
    }
  }

  /** The replica's view with unsent drag steps on top, so a rollback does not undo a drag. */
  #view(): Graph {
    const view = structuredClone(this.replica.view());
    applyChanges(view, [...this.#outbox.values()]);
    return view;
  }

  /** A gap in the sequence: reconnect, and the hello's lastSeq brings the missed ops. */
  #resync(): void {
    this.#socket?.close(4000 + 1, "resync");
  }

  #retry(reason: string): void {
    this.#live = false;
    if (this.#stopped) return;
    // Exponential backoff with jitter, so a restarted room is not hit by every tab at once.
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.#attempt, 5));
    const delay = Math.round(base / 2 + (this.#o.random ?? Math.random)() * base / 2);
    this.#o.callbacks.connection({ kind: "offline", reason, retryInMs: delay });
    this.#cancelRetry = this.#o.clock.setTimer(() => void this.#open(), delay);
  }

  #final(reason: string): void {
    this.#live = false;
    this.#stopped = true;
    this.#clearTimers();
    this.#o.callbacks.connection({ kind: "closed", reason });
  }

  #clearTimers(): void {
    this.#cancelRetry?.();
    this.#cancelFlush?.();
    this.#cancelRetry = null;
    this.#cancelFlush = null;
  }
}
