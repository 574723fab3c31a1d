/**
 * Connection rules, checked while the user drags a wire so an incompatible drop is refused
 * with a reason the canvas can show: sockets must be an output and an input on different
 * nodes, their types must be compatible (protocol `canConnect`), and the graph must stay acyclic.
 * An input takes one source: connecting to an occupied input replaces its edge.
 */
import type { Graph, SocketRef } from "../../../protocol/graph.ts";
import { canConnect, nodeType, type SocketDef } from "../../../protocol/nodes.ts";
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

function _socketDef(graph: Graph, end: SocketEnd): SocketDef | string {
  const node = graph.nodes[end.node];
  if (!node) return "that node was deleted";
  const def = nodeType(node.type);
  if (!def) return `unknown node type "${node.type}"`;
  const list = end.side === "input" ? def.inputs : def.outputs;
  return list.find((s) => s.name === end.socket) ??
    `"${node.title}" has no ${end.side} "${end.socket}"`;
}

/** Whether `target` can reach `source` by following edges forward (so source→target loops). */
function _reaches(graph: Graph, start: string, goal: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of Object.values(graph.edges)) {
    const list = out.get(e.from.node);
    if (list) list.push(e.to.node);
    else out.set(e.from.node, [e.to.node]);
  }
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === goal) return true;
    for (const next of out.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/** Checks joining socket `a` (where the drag started) to socket `b` (where it ends). */
export function checkConnection(graph: Graph, a: SocketEnd, b: SocketEnd): ConnectCheck {
  if (a.side === b.side) {
    return { ok: false, reason: `connect an output to an input, not two ${a.side}s` };
  }
  const [fromEnd, toEnd] = a.side === "output" ? [a, b] : [b, a];
  if (fromEnd.node === toEnd.node) return { ok: false, reason: "a node cannot feed itself" };
  const fromDef = _socketDef(graph, fromEnd);
  if (typeof fromDef === "string") return { ok: false, reason: fromDef };
  const toDef = _socketDef(graph, toEnd);
  if (typeof toDef === "string") return { ok: false, reason: toDef };
  if (!canConnect(fromDef.type, toDef.type)) {
    return {
      ok: false,
      reason: `a ${fromDef.type} output cannot feed the ${toDef.type} input "${toDef.name}"`,
    };
  }
  let replaces: string | null = null;
  for (const edge of Object.values(graph.edges)) {
    if (edge.to.node !== toEnd.node || edge.to.socket !== toEnd.socket) continue;
    if (edge.from.node === fromEnd.node && edge.from.socket === fromEnd.socket) {
      return { ok: false, reason: "those sockets are already connected" };
    }
    replaces = edge.id;
  }
  if (_reaches(graph, toEnd.node, fromEnd.node)) {
    return { ok: false, reason: "that connection would make a loop" };
  }
  return {
    ok: true,
    from: { node: fromEnd.node, socket: fromEnd.socket },
    to: { node: toEnd.node, socket: toEnd.socket },
    replaces,
  };
}
