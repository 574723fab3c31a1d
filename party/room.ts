/**
 * The authoritative canvas room of one project, with no transport code: it orders graph
 * operations (one `seq` each), enforces roles and graph rules, relays presence, catches
 * reconnecting clients up, persists every accepted change and flushes revisions to the edge.
 * It is the one authority for the live graph: the edge asks it to store the graph before it
 * queues a job (`graph.flush`) and has it order a revert (`graph.revert`), and every revision
 * reaches the edge through one queue, in the room's order. party/main.ts adapts it to
 * PartyKit; tests drive it with in-memory ports.
 *
 * @example
 * ```ts
 * const room = new CanvasRoom("p1", { storage, edge, clock: systemClock });
 * if ((await room.load()) === "ready") room.connect(socket, ticket);
 * room.message(socket.id, '{"type":"hello","protocol":2}');
 * ```
 */
import {
  CLOSE_CODES,
  type EdgeEvent,
  type EdgeEventAnswer,
  type GraphOp,
  MAX_MESSAGE_CHARS,
  MAX_SOCKETS_PER_USER,
  parseClientMessage,
  type Peer,
  PROTOCOL_VERSION,
  type RejectCode,
  type ServerMessage,
  toGraphOp,
} from "../protocol/canvas.ts";
import type { Clock } from "../protocol/clock.ts";
import { emptyGraph, type Graph } from "../protocol/graph.ts";
import { applyOp, type Refusal } from "../protocol/rules/mod.ts";
import { accessSubjects, type RoomTicket } from "../protocol/room_ticket.ts";
import { isNewer, ticketAccess } from "./access.ts";
import { Flusher } from "./flusher.ts";
import { GraphBudget, MAX_ROOM_GRAPH_BYTES } from "./graph_budget.ts";
import { GroupCommit } from "./group_commit.ts";
import type { EdgeApi, FlushRequest, RoomSocket, RoomStorage } from "./ports.ts";
import { colorFor, PresenceBatcher } from "./presence.ts";
import {
  accessKey,
  changeEntries,
  readRoom,
  type StoredRoom,
  tombKey,
  writeWholeRoom,
} from "./room_store.ts";

export interface CanvasRoomOptions {
  storage: RoomStorage;
  edge: EdgeApi;
  clock: Clock;
  /** Accepted ops kept for catching reconnecting clients up; further behind gets a snapshot. */
  logLimit?: number;
  flushQuietMs?: number;
  presenceIntervalMs?: number;
}

/** What every session holds, whatever its phase. */
interface SessionBase {
  socket: RoomSocket;
  peer: Peer;
  /** Whose access this socket rests on (protocol/room_ticket.ts `accessSubjects`). */
  subjects: string[];
  /** The edge time its role dates from: the ticket's `iat`, or the access change applied last. */
  since: number;
  /** Came through a share link: gets guests' shorter-lived download URLs. */
  guest: boolean;
}

type Session =
  | SessionBase & { phase: "connected" }
  | SessionBase & { phase: "live" };

type LoadState = "unloaded" | "ready" | "unknown";
type Logged = Extract<ServerMessage, { type: "state.update" }>;

export class CanvasRoom {
  #o: Required<CanvasRoomOptions>;
  #state: StoredRoom | null = null;
  #load: LoadState = "unloaded";
  #loading: Promise<LoadState> | null = null;
  #sessions = new Map<string, Session>();
  /**
   * The live sessions' sockets, rebuilt (never changed in place: queued broadcasts hold it)
   * after someone goes live or leaves.
   */
  #live: RoomSocket[] | null = null;
  #log: Logged[] = [];
  /** `${userId} ${opId}` → seq, for the ops in the log: a resent op is acked, not re-applied. */
  #seen = new Map<string, number>();
  #presence: PresenceBatcher;
  #flusher: Flusher;
  #commit: GroupCommit;
  /** Revisions on their way to the edge, one after another (see #serially). */
  #stores: Promise<unknown> = Promise.resolve();
  /** The highest `seq` the edge has stored, so a revert does not store the same edits twice. */
  #storedSeq = 0;
  #budget = new GraphBudget(emptyGraph());

  constructor(readonly projectId: string, options: CanvasRoomOptions) {
    this.#o = {
      logLimit: 1000,
      flushQuietMs: 1000,
      presenceIntervalMs: 33,
      ...options,
    };
    this.#commit = new GroupCommit(
      this.#o.storage,
      this.#o.clock,
      (e) => console.error(`room ${projectId}: commit: ${e}`),
    );
    this.#presence = new PresenceBatcher(
      this.#o.clock,
      (m) => this.#broadcast(m),
      this.#o.presenceIntervalMs,
    );
    this.#flusher = new Flusher({
      clock: this.#o.clock,
      flush: () => this.#serially(() => this.#flush()),
      quietMs: this.#o.flushQuietMs,
    });
  }

  get graph(): Graph | null {
    return this.#state?.graph ?? null;
  }
  get seq(): number {
    return this.#state?.meta.seq ?? 0;
  }
  get peers(): Peer[] {
    return [...this.#sessions.values()].filter((s) => s.phase === "live").map((s) => s.peer);
  }

  /**
   * Loads from storage, else from the edge; concurrent calls share one load. Throws when the
   * edge is needed and unreachable (a later call tries again).
   */
  load(): Promise<LoadState> {
    if (this.#load !== "unloaded") return Promise.resolve(this.#load);
    this.#loading ??= this.#loadOnce().finally(() => this.#loading = null);
    return this.#loading;
  }

  async #loadOnce(): Promise<LoadState> {
    const stored = await readRoom(this.#o.storage);
    if (stored) {
      this.#setAside(stored.setAside);
      this.#state = stored.room;
      this.#budget.reset(stored.room.graph);
      if (stored.room.meta.seq > stored.room.meta.flushedSeq) this.#flusher.changed(); // unflushed before a restart
      return this.#load = "ready";
    }
    const current = await this.#o.edge.loadGraph();
    if (!current) return this.#load = "unknown";
    const state: StoredRoom = {
      meta: {
        epoch: crypto.randomUUID(),
        seq: 0,
        flushedSeq: 0,
        authors: [],
        revision: current.revision,
      },
      graph: current.graph,
      deleted: new Set(),
      access: new Map(),
    };
    await writeWholeRoom(this.#o.storage, state, null);
    this.#state = state;
    this.#budget.reset(state.graph);
    return this.#load = "ready";
  }

  /** What a load left out of the graph: one bad node must not keep the room from opening. */
  #setAside(lines: string[]): void {
    for (const line of lines) {
      console.error(`room ${this.projectId}: set aside ${line} (it no longer fits the rules)`);
    }
  }

  /** A verified ticket opened a socket. Refuses (closes) when the room cannot take it. */
  connect(socket: RoomSocket, ticket: RoomTicket): boolean {
    const state = this.#state;
    if (this.#load === "unknown") {
      return _close(socket, CLOSE_CODES.unknownProject, "unknown project");
    }
    if (!state) {
      return _close(socket, CLOSE_CODES.unavailable, "room is loading the project; retry");
    }
    const access = ticketAccess(ticket, state.access);
    if (access.role === null) {
      return _close(socket, CLOSE_CODES.removed, _noAccessReason(ticket.link !== undefined));
    }
    const open =
      [...this.#sessions.values()].filter((s) =>
        s.peer.userId === ticket.sub && s.socket.id !== socket.id
      ).length;
    if (open >= MAX_SOCKETS_PER_USER) {
      return _close(
        socket,
        CLOSE_CODES.tooManyConnections,
        `at most ${MAX_SOCKETS_PER_USER} connections per person in one room: close a tab`,
      );
    }
    const peer: Peer = {
      connectionId: socket.id,
      userId: ticket.sub,
      name: ticket.name,
      role: access.role,
      color: colorFor(ticket.sub),
    };
    if (this.#sessions.get(socket.id)?.phase === "live") this.#live = null;
    this.#sessions.set(socket.id, {
      phase: "connected",
      socket,
      peer,
      subjects: accessSubjects(ticket),
      since: access.since,
      guest: ticket.link !== undefined,
    });
    return true;
  }

  disconnect(connectionId: string): void {
    const session = this.#sessions.get(connectionId);
    if (!session) return;
    this.#sessions.delete(connectionId);
    if (session.phase === "live") this.#live = null;
    this.#presence.forget(connectionId);
    if (session.phase === "live") {
      this.#broadcast({ type: "user.left", connectionId, userId: session.peer.userId });
    }
    if (
      this.#sessions.size === 0 && this.#state && this.#state.meta.seq > this.#state.meta.flushedSeq
    ) {
      this.#flusher.now();
    }
  }

  /** One frame from a client. Invalid frames are rejected with a reason and change nothing. */
  message(connectionId: string, text: string): void {
    const session = this.#sessions.get(connectionId);
    const state = this.#state;
    if (!session || !state) return;
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      const code: RejectCode = text.length > MAX_MESSAGE_CHARS ? "too_large" : "invalid";
      return this.#reject(session, _opIdOf(text), code, parsed.reason, parsed.field);
    }
    const msg = parsed.value;
    if (msg.type === "hello") return this.#hello(session, msg.protocol, msg.epoch, msg.lastSeq);
    if (msg.type === "ping") {
      return this.#send(session, { type: "pong", t: msg.t, now: this.#o.clock.now() });
    }
    if (session.phase !== "live") {
      return this.#reject(
        session,
        "opId" in msg ? msg.opId : null,
        "not_ready",
        "send hello first",
      );
    }
    if (msg.type === "cursor.move") return this.#presence.cursor(connectionId, msg.x, msg.y);
    if (msg.type === "selection.change") return this.#presence.selection(connectionId, msg.nodeIds);
    if (session.peer.role === "reviewer") {
      const what = msg.type.startsWith("cut.") ? "a cut" : "the graph";
      return this.#reject(session, msg.opId, "forbidden", `reviewers cannot change ${what}`);
    }
    if (msg.type === "generate.start") {
      const route = `POST /api/projects/${this.projectId}/nodes/${msg.nodeId}/generate`;
      return this.#reject(
        session,
        msg.opId,
        "use_http",
        `jobs are started through the edge: ${route}`,
      );
    }
    const { op, opId } = toGraphOp(msg)!;
    this.#apply(session, op, opId);
  }

  /** An event or request the edge posted (already authenticated and validated). */
  async edgeEvent(event: EdgeEvent): Promise<EdgeEventAnswer> {
    const state = this.#state;
    if (!state) throw new Error("room is not loaded");
    switch (event.type) {
      case "access.changed":
        await this.#accessChanged(event);
        return { ok: true };
      case "generation.complete":
      case "take.described": {
        // Guests get the URL signed for their shorter lifetime; members never see it.
        const { guestUrl, ...forMembers } = event;
        this.#broadcastTo((s) => !s.guest, forMembers);
        this.#broadcastTo((s) => s.guest, {
          ...forMembers,
          take: { ...event.take, url: guestUrl },
        });
        return { ok: true };
      }
      case "graph.flush":
        // Queued behind any flush or revert on its way: the answer holds every op accepted so far.
        await this.#serially(() => this.#flush());
        return { revision: state.meta.revision };
      case "graph.revert":
        return { revision: await this.#revert(event.revision, event.authorId) };
      case "cut.edit":
        return { revision: await this.#edgeEdit(event) };
      case "members.changed":
        this.#broadcastTo((s) => !s.guest, event);
        return { ok: true };
      default:
        this.#broadcast(event);
        return { ok: true };
    }
  }

  dispose(): void {
    this.#commit.dispose();
    this.#presence.dispose();
    this.#flusher.dispose();
  }

  /** Records the edge's word, then applies it to the open sockets it is newer for. */
  async #accessChanged(event: Extract<EdgeEvent, { type: "access.changed" }>): Promise<void> {
    const state = this.#state!;
    const record = { role: event.role, at: event.at };
    if (isNewer(record, state.access.get(event.subject))) {
      state.access.set(event.subject, record);
      await this.#o.storage.put({ [accessKey(event.subject)]: record });
    }
    for (const [id, s] of [...this.#sessions]) {
      if (!s.subjects.includes(event.subject) || s.since > event.at) continue;
      if (event.role === null) {
        // Gone from the room at once, so no frame still queued from it is applied.
        this.disconnect(id);
        this.#commit.emit(() => s.socket.close(CLOSE_CODES.removed, _noAccessReason(s.guest)));
        continue;
      }
      const changed = s.peer.role !== event.role;
      const updated: Session = { ...s, since: event.at, peer: { ...s.peer, role: event.role } };
      this.#sessions.set(id, updated);
      if (changed && updated.phase === "live") {
        this.#broadcast({ type: "user.updated", peer: updated.peer });
      }
    }
    // Open members panels (an owner's, most of all) reload; share-link guests see no members.
    this.#broadcastTo((s) => !s.guest, { type: "members.changed" });
  }

  #hello(session: Session, protocol: number, epoch?: string, lastSeq?: number): void {
    const state = this.#state!;
    if (protocol !== PROTOCOL_VERSION) {
      this.#send(session, {
        type: "incompatible",
        protocol: PROTOCOL_VERSION,
        reason:
          `this room speaks protocol ${PROTOCOL_VERSION}, the client ${protocol}: reload the app`,
      });
      this.#commit.emit(() =>
        session.socket.close(CLOSE_CODES.incompatible, "incompatible protocol")
      );
      return;
    }
    const wasLive = session.phase === "live";
    const live: Session = { ...session, phase: "live" };
    this.#sessions.set(session.socket.id, live);
    this.#live = null;
    const { seq } = state.meta;
    const peers = this.peers.filter((p) => p.connectionId !== session.socket.id);
    this.#send(live, {
      type: "welcome",
      protocol,
      epoch: state.meta.epoch,
      seq,
      you: session.peer,
      peers,
    });
    const firstLogged = this.#log[0]?.seq ?? seq + 1;
    const canCatchUp = epoch === state.meta.epoch && lastSeq !== undefined && lastSeq <= seq &&
      lastSeq + 1 >= firstLogged;
    if (canCatchUp) {
      for (const entry of this.#log) if (entry.seq > lastSeq) this.#send(live, entry);
    } else {
      this.#send(live, {
        type: "state.snapshot",
        epoch: state.meta.epoch,
        seq,
        graph: state.graph,
      });
    }
    if (!wasLive) this.#broadcast({ type: "user.joined", peer: session.peer }, session.socket.id);
  }

  #apply(session: Session, op: GraphOp, opId: string): void {
    const key = `${session.peer.userId} ${opId}`;
    const already = this.#seen.get(key);
    if (already !== undefined) return this.#send(session, { type: "ack", opId, seq: already });
    const result = this.#accept(op, opId, session.peer.userId, session.socket.id);
    if (!result.ok) return this.#reject(session, opId, result.code, result.reason, result.field);
    this.#send(session, { type: "ack", opId, seq: result.seq });
  }

  /**
   * Applies an op under the rules and the size budget, gives it the next `seq`, stores it and
   * sends it to everyone but `except` (the sender, who gets an ack). Refused ops change nothing.
   */
  #accept(
    op: GraphOp,
    opId: string,
    by: string,
    except: string | null,
  ): Refusal | { ok: true; seq: number } {
    const state = this.#state!;
    const result = applyOp(state, op);
    if (!result.ok) return result;
    const cuts = result.cuts ?? [];
    const size = this.#budget.measure(state.graph, result.nodes, result.edges, cuts);
    if (size.bytes > MAX_ROOM_GRAPH_BYTES && size.bytes > this.#budget.bytes) {
      result.undo();
      return {
        ok: false,
        code: "too_large",
        field: "(message)",
        reason: `the graph would be over ${MAX_ROOM_GRAPH_BYTES} bytes, more than the edge keeps`,
      };
    }
    this.#budget.commit(size);
    const meta = state.meta;
    meta.seq++;
    if (!meta.authors.includes(by)) meta.authors.push(by);
    const { put, remove } = changeEntries(state.graph, result.nodes, result.edges, cuts);
    if (op.type === "node.create" && op.restore) remove.push(tombKey(op.node.id));
    this.#commit.write({ ...put, meta }, remove);
    const update: Logged = { type: "state.update", seq: meta.seq, op, opId, by };
    this.#log.push(update);
    this.#seen.set(`${by} ${opId}`, meta.seq);
    if (this.#log.length > this.#o.logLimit) {
      const dropped = this.#log.shift()!;
      this.#seen.delete(`${dropped.by} ${dropped.opId}`);
    }
    this.#broadcast(update, except ?? undefined);
    this.#flusher.changed();
    return { ok: true, seq: meta.seq };
  }

  /**
   * A cut edit the edge made for someone (an OpenTimelineIO import): ordered like theirs,
   * then stored at once, so the edge can answer with the revision that holds it.
   */
  async #edgeEdit(event: Extract<EdgeEvent, { type: "cut.edit" }>): Promise<number> {
    const result = this.#accept(event.op, `edge-${crypto.randomUUID()}`, event.authorId, null);
    if (!result.ok) throw new RoomRefusal(result);
    await this.#serially(() => this.#flush());
    return this.#state!.meta.revision;
  }

  /**
   * Runs `store` after every store queued before it: revisions reach the edge in the room's
   * order, so no flush of an older graph can land after a newer one (or after a revert).
   */
  #serially<T>(store: () => Promise<T>): Promise<T> {
    const run = this.#stores.then(store);
    this.#stores = run.catch(() => {});
    return run;
  }

  /** Stores the graph as it is now, if anything is unflushed. Only through #serially. */
  async #flush(): Promise<boolean> {
    const state = this.#state;
    if (!state || state.meta.seq <= state.meta.flushedSeq) return true;
    const seq = state.meta.seq;
    const authorIds = [...state.meta.authors];
    const from = state.meta.flushedSeq + 1;
    const { revision } = await this.#o.edge.flushRevision({
      graph: structuredClone(state.graph),
      message: `Live edits ${from}-${seq} on the canvas`,
      authorIds,
    });
    this.#storedSeq = Math.max(this.#storedSeq, seq);
    if (seq < state.meta.flushedSeq) return true; // reverted meanwhile: the revert's revision is next
    state.meta.flushedSeq = seq;
    state.meta.revision = revision;
    state.meta.authors = state.meta.authors.filter((a) => !authorIds.includes(a));
    await this.#o.storage.put({ meta: state.meta });
    return state.meta.seq === seq;
  }

  /**
   * Reverts to an earlier revision at this point in the room's order: the ops accepted before
   * it are stored first (history keeps them, as a revision of their own), then the old graph as
   * the next revision; ops that arrive later apply to the reverted graph. Every client resyncs
   * from a snapshot under a new epoch. Resolves to the revert's revision.
   */
  async #revert(target: number, authorId: string): Promise<number> {
    const graph = await this.#o.edge.loadRevision(target);
    const state = this.#state!;
    const { seq, flushedSeq } = state.meta;
    const before: FlushRequest | null = seq > flushedSeq
      ? {
        graph: structuredClone(state.graph),
        message: `Live edits ${flushedSeq + 1}-${seq} on the canvas, before a revert`,
        authorIds: [...state.meta.authors],
      }
      : null;
    const previous = state.graph;
    state.graph = structuredClone(graph);
    this.#budget.reset(state.graph);
    for (const id of Object.keys(state.graph.nodes)) state.deleted.delete(id);
    // The revert is stored below, not by the flusher.
    state.meta = { ...state.meta, epoch: crypto.randomUUID(), seq: seq + 1, flushedSeq: seq + 1 };
    state.meta.authors = [];
    this.#log = [];
    this.#seen.clear();
    // Queued before anything awaits, so no later flush can reach the edge ahead of the revert.
    const stored = this.#serially(async () => {
      if (before && seq > this.#storedSeq) await this.#o.edge.flushRevision(before);
      this.#storedSeq = Math.max(this.#storedSeq, seq);
      const { revision } = await this.#o.edge.flushRevision({
        graph: structuredClone(graph),
        message: `Revert to revision ${target}`,
        authorIds: [authorId],
      });
      this.#storedSeq = Math.max(this.#storedSeq, seq + 1);
      state.meta.revision = revision;
      await this.#o.storage.put({ meta: state.meta });
      return revision;
    }).catch((error) => {
      // The room shows the reverted graph; the flusher stores it as soon as the edge takes it.
      state.meta.flushedSeq = Math.min(state.meta.flushedSeq, seq);
      if (!state.meta.authors.includes(authorId)) state.meta.authors.push(authorId);
      this.#flusher.changed();
      throw error;
    });
    stored.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    await writeWholeRoom(this.#o.storage, state, previous);
    const { epoch } = state.meta;
    this.#broadcast({ type: "state.snapshot", epoch, seq: seq + 1, graph: state.graph });
    return await stored;
  }

  #send(session: Session, message: ServerMessage): void {
    this.#commit.send([session.socket], null, JSON.stringify(message));
  }

  /** To every live session but `except`; stringified once, queued as one entry. */
  #broadcast(message: ServerMessage, except?: string): void {
    this.#live ??= [...this.#sessions.values()].filter((s) => s.phase === "live").map((s) =>
      s.socket
    );
    if (this.#live.length === 0) return;
    this.#commit.send(this.#live, except ?? null, JSON.stringify(message));
  }

  /** To the live sessions `which` picks (a rare, per-audience message: no cached list). */
  #broadcastTo(which: (session: Session) => boolean, message: ServerMessage): void {
    const sockets = [...this.#sessions.values()].filter((s) => s.phase === "live" && which(s))
      .map((s) => s.socket);
    if (sockets.length > 0) this.#commit.send(sockets, null, JSON.stringify(message));
  }

  #reject(
    session: Session,
    opId: string | null,
    code: RejectCode,
    reason: string,
    field?: string,
  ): void {
    this.#send(session, { type: "reject", opId, code, reason, ...(field ? { field } : {}) });
  }
}

/** An edit the edge asked for that the rules refused; party/main.ts answers it as a 409. */
export class RoomRefusal extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.field}: ${refusal.reason}`);
  }
}

function _noAccessReason(throughLink: boolean): string {
  return throughLink ? "the share link was revoked" : "removed from the project";
}

function _close(socket: RoomSocket, code: number, reason: string): false {
  socket.close(code, reason);
  return false;
}

/** The opId of a frame that failed validation, when one can be read, so the sender can match it. */
function _opIdOf(text: string): string | null {
  if (text.length > 70_000) return null;
  try {
    const value = JSON.parse(text)?.opId;
    return typeof value === "string" && value.length <= 64 ? value : null;
  } catch {
    return null;
  }
}
