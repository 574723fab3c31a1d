/** Graph builders shared by the canvas engine's tests. */
import type { Graph, GraphNode } from "../../../protocol/graph.ts";

export function node(
  id: string,
  type: string,
  x = 0,
  y = 0,
  params: Record<string, unknown> = {},
): GraphNode {
  return { id, type, title: id, x, y, params };
}

/** A graph of nodes laid out by the caller and edges given as `[id, from, fromSocket, to, toSocket]`. */
export function graphOf(
  nodes: GraphNode[],
  edges: [string, string, string, string, string][] = [],
): Graph {
  return {
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    edges: Object.fromEntries(
      edges.map((
        [id, from, fs, to, ts],
      ) => [id, { id, from: { node: from, socket: fs }, to: { node: to, socket: ts } }]),
    ),
  };
}

/** Ids `id1`, `id2`, … in order, so tests can name what an edit will create. */
export function counter(prefix = "id"): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}
