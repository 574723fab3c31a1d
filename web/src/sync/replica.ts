/**
 * A client's copy of the room graph: the confirmed graph (accepted ops in `seq` order) plus the
 * client's own pending ops applied on top. Local edits show at once; a reject drops the op and
 * the view falls back to what the room decided. The studio's room client keeps one; the
 * convergence tests drive it directly too.
 *
 * @example
 * ```ts
 * const replica = new CanvasReplica();
 * socket.onmessage = (e) => replica.receive(JSON.parse(e.data));
 * socket.send(JSON.stringify(replica.local({ type: "node.delete", id: "n1" })));
 * replica.view(); // the graph to draw
 * ```
 */
import type { ClientMessage, GraphOp, ServerMessage } from "../../../protocol/canvas.ts";
import { emptyGraph, type Graph } from "../../../protocol/graph.ts";
import { applyOp } from "../../../protocol/rules/mod.ts";

export interface PendingOp {
  opId: string;
  op: GraphOp;
}

export class CanvasReplica {
  confirmed: Graph = emptyGraph();
  epoch: string | null = null;
  seq = 0;
  pending: PendingOp[] = [];
  /** Set when the stream skipped a sequence number: reconnect (hello with lastSeq) to repair. */
  needsResync = false;
  #deleted = new Set<string>();
  #view: Graph | null = null;

  /** Records a local edit and returns the message to send. */
  local(op: GraphOp, opId: string = crypto.randomUUID()): ClientMessage {
    this.pending.push({ opId, op });
    this.#view = null;
    return { ...op, opId } as ClientMessage;
  }

  /** The hello to send after (re)connecting. */
  hello(protocol: number): ClientMessage {
    return this.epoch === null
      ? { type: "hello", protocol }
      : { type: "hello", protocol, epoch: this.epoch, lastSeq: this.seq };
  }

  /** Pending ops to send again after a reconnect; the room acks ones it already applied. */
  resend(): ClientMessage[] {
    return this.pending.map(({ opId, op }) => ({ ...op, opId }) as ClientMessage);
  }

  /** Applies one server message; returns true when the graph view may have changed. */
  receive(message: ServerMessage): boolean {
    switch (message.type) {
      case "state.snapshot":
        this.confirmed = structuredClone(message.graph);
        this.#deleted = new Set();
        this.epoch = message.epoch;
        this.seq = message.seq;
        this.needsResync = false;
        break;
      case "state.update":
        if (message.seq <= this.seq) return false; // already have it
        if (message.seq !== this.seq + 1) {
          this.needsResync = true;
          return false;
        }
        applyOp({ graph: this.confirmed, deleted: this.#deleted }, message.op);
        this.seq = message.seq;
        // Our own op seen in a catch-up stream counts as its ack.
        this.pending = this.pending.filter((p) => p.opId !== message.opId);
        break;
      case "ack": {
        const index = this.pending.findIndex((p) => p.opId === message.opId);
        if (index < 0) return false;
        const [acked] = this.pending.splice(index, 1);
        if (message.seq === this.seq + 1) {
          applyOp({ graph: this.confirmed, deleted: this.#deleted }, acked!.op);
          this.seq = message.seq;
        } else if (message.seq > this.seq) {
          this.needsResync = true; // an ack ahead of the stream means we missed ops
        } // else: a resent op the snapshot or catch-up already holds
        break;
      }
      case "reject":
        this.pending = this.pending.filter((p) => p.opId !== message.opId);
        break;
      default:
        return false;
    }
    this.#view = null;
    return true;
  }

  /** Confirmed graph with pending ops on top (ones that no longer apply are skipped). */
  view(): Graph {
    if (this.#view) return this.#view;
    const graph = structuredClone(this.confirmed);
    const deleted = new Set(this.#deleted);
    for (const { op } of this.pending) applyOp({ graph, deleted }, op);
    return this.#view = graph;
  }
}
