/**
 * A wire dragged from one socket to another, checked while it is dragged so a drop the room would
 * refuse is refused at once, in the room's words (protocol/rules: compatible socket types, no
 * loop). The drag may start at either end; an input takes one source, so connecting to an
 * occupied input replaces its edge.
 */
import type { Graph, SocketRef } from "../../../protocol/graph.ts";
import { checkEdge, inputTaken } from "../../../protocol/rules/mod.ts";
import type { SocketSide } from "./layout.ts";

export interface SocketEnd {
  node: string;
  side: SocketSide;
  socket: string;
}

export type ConnectCheck =
  | {
    ok: true;
    from: SocketRef;
    to: SocketRef; /** Edge the new one replaces. */
    replaces: string | null;
  }
  | { ok: false; reason: string };

/** Checks joining socket `a` (where the drag started) to socket `b` (where it ends). */
export function checkConnection(graph: Graph, a: SocketEnd, b: SocketEnd): ConnectCheck {
  if (a.side === b.side) {
    return { ok: false, reason: `connect an output to an input, not two ${a.side}s` };
  }
  const [fromEnd, toEnd] = a.side === "output" ? [a, b] : [b, a];
  const from = { node: fromEnd.node, socket: fromEnd.socket };
  const to = { node: toEnd.node, socket: toEnd.socket };
  // The canvas only draws live nodes: none is "deleted" here, only missing.
  const check = checkEdge({ graph, deleted: new Set() }, from, to);
  if (!check.ok) return { ok: false, reason: check.reason };
  const { occupant } = check;
  if (occupant && occupant.from.node === from.node && occupant.from.socket === from.socket) {
    return { ok: false, reason: inputTaken(graph, to).reason };
  }
  return { ok: true, from, to, replaces: occupant?.id ?? null };
}
