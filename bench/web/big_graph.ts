/**
 * The benchmark's canvas: `nodes` composite nodes on a grid, chained base→base and, for the
 * remaining edges, overlay from two back, so the graph is valid (compatible sockets, one edge
 * per input, acyclic) and every node is on screen after "fit".
 */
import type { Graph } from "../../protocol/graph.ts";

export function bigGraph(nodes: number, edges: number): Graph {
  if (edges > 2 * nodes - 3) throw new Error(`at most ${2 * nodes - 3} edges for ${nodes} nodes`);
  const graph: Graph = { nodes: {}, edges: {} };
  for (let i = 0; i < nodes; i++) {
    graph.nodes[`n${i}`] = {
      id: `n${i}`,
      type: "composite",
      title: `Comp ${i}`,
      x: (i % 20) * 300,
      y: Math.floor(i / 20) * 300,
      params: {},
    };
  }
  let made = 0;
  const link = (from: number, to: number, socket: string) => {
    graph.edges[`e${made}`] = {
      id: `e${made}`,
      from: { node: `n${from}`, socket: "video" },
      to: { node: `n${to}`, socket },
    };
    made++;
  };
  for (let i = 1; i < nodes && made < edges; i++) link(i - 1, i, "base");
  for (let i = 2; i < nodes && made < edges; i++) link(i - 2, i, "overlay");
  return graph;
}
