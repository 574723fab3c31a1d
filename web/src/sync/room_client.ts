/**
 * The studio's connection to its project room (protocol/canvas.ts). Framework-free: it owns
 * the socket, the replica of the room graph (replica.ts: confirmed ops plus this user's
 * pending ones) and the catch-up after a reconnect, and reports through callbacks the Solid
 * layer binds to stores. Local edits are applied optimistically by the caller and sent here; a
 * reject hands back the graph as the room decided it, with the reason.
 *
 * Reconnecting is partysocket's (PartyKit's client: back-off, a fresh URL, so a fresh ticket,
 * for each attempt). The protocol's catch-up stays here: every connection starts with `hello`
 * (epoch and last seq), edits go out only once the room has welcomed the connection (the replica
 * resends the pending ones then; partysocket's own queue is off, since it would send them before
 * the hello), and close codes after which a retry cannot help end the connection for good.
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
import type { ReviewUpdate } from "../../../protocol/review.ts";
import type { Graph } from "../../../protocol/graph.ts";
import ReconnectingWebSocket, { type Options as SocketOptions } from "partysocket/ws";
import { CanvasReplica } from "./replica.ts";
import type { RoomTicketGrant } from "../api/types.ts";
import { applyChanges, type Change } from "../canvas/changes.ts";

/** Where the connection stands; the toolbar shows it. */
export type ConnectionState =
  | { kind: "connecting"; attempt: number }
  | { kind: "live" }
  | { kind: "offline"; reason: string }
  | { kind: "closed"; reason: string };

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
  /** A comment or decision changed (protocol/review.ts); the review store reads it. */
  review?(event: ReviewUpdate): void;
  /** Who is a member changed: the members panel reloads its lists. */
  members?(): void;
}

export interface RoomClientOptions {
  ticket(): Promise<RoomTicketGrant>;
  /** Drag-step flushes and `settled()` time-outs. */
  clock: Clock;
  /** A number in [0, 1) for the reconnect jitter; `Math.random` unless a test pins it. */
  random?: () => number;
  /** partysocket options over ours: tests hand in a fake `WebSocket` and shorter delays. */
  socket?: Pick<
    SocketOptions,
    "WebSocket" | "minReconnectionDelay" | "maxReconnectionDelay" | "connectionTimeout"
  >;
  callbacks: RoomCallbacks;
  flushMs?: number;
}

const OPEN = 1;
/** Drag steps are spaced by at least this much per node in them. */
const STEP_OP_MS = 5;
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
  #socket: ReconnectingWebSocket | null = null;
  #attempt = 0;
  /** Why the last ticket request failed, until one succeeds. */
  #ticketProblem: string | null = null;
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
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    this.#close();
  }

  /** Retries at once (the user asked to), rather than after what is left of the back-off. */
  reconnectNow(): void {
    if (this.#stopped || this.#live) return;
    this.#close();
    this.#open();
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

  #open(): void {
    const socket: ReconnectingWebSocket = new ReconnectingWebSocket(() => this.#url(), undefined, {
      // The first retry after 0.5-1 s, then 1.3 times longer each time up to 10 s: each tab on a
      // schedule of its own, so a restarted room is not hit by every tab at once.
      minReconnectionDelay: 500 + 500 * (this.#o.random ?? Math.random)(),
      maxReconnectionDelay: 10_000,
      // partysocket gives up on a handshake after 4 s by default and starts again; a cold room
      // loading its project, or a poor network, can take longer, and would never get through.
      connectionTimeout: 15_000,
      maxEnqueuedMessages: 0, // nothing may go out before the hello: the replica resends
      shouldReconnectOnClose: (ev) => !(ev.code in FINAL_CLOSES),
      ...this.#o.socket,
    });
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(this.replica.hello(PROTOCOL_VERSION)));
    socket.onmessage = (ev) => this.#receive(String(ev.data));
    socket.onclose = (ev) => {
      if (this.#socket !== socket || this.#stopped) return;
      this.#live = false;
      const final = FINAL_CLOSES[ev.code];
      if (final) return this.#final(final);
      const reason = ev.reason || "connection lost";
      this.#o.callbacks.connection({ kind: "offline", reason });
    };
    // A failed ticket request reaches partysocket as an error, after a close it reports.
    socket.onerror = () => {
      if (this.#socket !== socket || this.#stopped || !this.#ticketProblem) return;
      this.#o.callbacks.connection({ kind: "offline", reason: this.#ticketProblem });
    };
  }

  /** The URL of the next attempt, with a fresh ticket (tickets are short-lived). */
  async #url(): Promise<string> {
    this.#attempt++;
    this.#o.callbacks.connection({ kind: "connecting", attempt: this.#attempt });
    try {
      const grant = await this.#o.ticket();
      this.#ticketProblem = null;
      return `${grant.roomUrl}?ticket=${encodeURIComponent(grant.ticket)}`;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 404) {
        this.#final("you no longer have access to this project");
      }
      this.#ticketProblem = `cannot get a room ticket: ${(error as Error).message}`;
      throw error;
    }
  }

  #close(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#live = false;
    socket?.close(1000, "left the project");
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
      case "take.described":
      case "error.occurred":
      case "take.selected":
        return cb.job(message);
      case "review.update":
        return cb.review?.(message);
      case "members.changed":
        return cb.members?.();
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
    this.#socket?.reconnect(4001, "resync");
  }

  #final(reason: string): void {
    this.#stopped = true;
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    this.#close();
    this.#o.callbacks.connection({ kind: "closed", reason });
  }
}
