/**
 * The rules of edge ops: an edge joins an existing output to an existing input of a compatible
 * type (protocol/nodes.ts `canConnect`), an input takes one edge, and the graph stays acyclic.
 * `checkEdge` is the same check for the canvas, which runs it while a wire is dragged so a drop
 * that the room would refuse is refused at once with the room's words.
 */
import type { Graph, GraphEdge, SocketRef } from "../graph.ts";
import { canConnect, nodeType, type SocketDef } from "../nodes.ts";
import { missingNode } from "./node_rules.ts";
import {
  NONE,
  type OpOf,
  type Outcome,
  type Refusal,
  refuse,
  type RoomDoc,
  type Rules,
} from "./outcome.ts";

export const edgeRules: Rules<OpOf<"edge.create" | "edge.delete">> = {
  "edge.create": createEdge,
  "edge.delete": deleteEdge,
};

/**
 * Whether an edge from output `from` to input `to` may join the graph, leaving aside whether
 * the input is taken: then `occupant` is the edge that feeds it now (the room refuses a second
 * one, the canvas replaces it).
 */
export function checkEdge(
  doc: RoomDoc,
  from: SocketRef,
  to: SocketRef,
): Refusal | { ok: true; occupant: GraphEdge | null } {
  const { graph } = doc;
  if (from.node === to.node) return refuse("cycle", "edge", "a node cannot feed itself");
  const output = _socket(doc, from, "output");
  if ("ok" in output) return output;
  const input = _socket(doc, to, "input");
  if ("ok" in input) return input;
  if (!canConnect(output.type, input.type)) {
    return refuse(
      "incompatible_sockets",
      "edge.to.socket",
      `a ${output.type} output cannot feed the ${input.type} input "${input.name}"`,
    );
  }
  if (_reaches(graph, to.node, from.node)) {
    return refuse("cycle", "edge", "that connection would make a loop");
  }
  const occupant = Object.values(graph.edges).find((e) =>
    e.to.node === to.node && e.to.socket === to.socket
  );
  return { ok: true, occupant: occupant ?? null };
}

/** The refusal for a second edge into an input. */
export function inputTaken(graph: Graph, to: SocketRef): Refusal {
  const title = graph.nodes[to.node]?.title ?? to.node;
  return refuse(
    "conflict",
    "edge.to.socket",
    `input "${to.socket}" of "${title}" is already connected`,
  );
}

function createEdge(doc: RoomDoc, { edge }: OpOf<"edge.create">): Outcome {
  const { graph } = doc;
  if (graph.edges[edge.id]) {
    return refuse("conflict", "edge.id", `edge id ${edge.id} is already used`);
  }
  const check = checkEdge(doc, edge.from, edge.to);
  if (!check.ok) return check;
  if (check.occupant) return inputTaken(graph, edge.to);
  graph.edges[edge.id] = structuredClone(edge);
  return {
    ok: true,
    nodes: NONE,
    edges: [edge.id],
    undo: () => void delete graph.edges[edge.id],
  };
}

function deleteEdge(doc: RoomDoc, { id }: OpOf<"edge.delete">): Outcome {
  const { graph } = doc;
  const edge = graph.edges[id];
  if (!edge) return refuse("not_found", "id", `edge ${id} does not exist`);
  delete graph.edges[id];
  return { ok: true, nodes: NONE, edges: [id], undo: () => void (graph.edges[id] = edge) };
}

/** The socket `ref` names on its node, or why there is none. */
function _socket(doc: RoomDoc, ref: SocketRef, side: "input" | "output"): SocketDef | Refusal {
  const end = side === "output" ? "from" : "to";
  const node = doc.graph.nodes[ref.node];
  if (!node) return missingNode(doc, ref.node, `edge.${end}.node`);
  const def = nodeType(node.type);
  const sockets = side === "output" ? def?.outputs : def?.inputs;
  return sockets?.find((s) => s.name === ref.socket) ??
    refuse("not_found", `edge.${end}.socket`, `"${node.title}" has no ${side} "${ref.socket}"`);
}

/** Whether `target` is reachable from `start` along edges. */
function _reaches(graph: Graph, start: string, target: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of Object.values(graph.edges)) {
    const list = next.get(e.from.node);
    if (list) list.push(e.to.node);
    else next.set(e.from.node, [e.to.node]);
  }
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    for (const to of next.get(id) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return false;
}
