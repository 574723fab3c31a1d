/** Film graphs for job tests, saved as the project's current revision like a room flush does. */
import type { Graph, GraphNode } from "../../protocol/graph.ts";
import type { TestApp } from "../../edge/testing.ts";
import { storeRevision } from "../../edge/services/graph_store.ts";

export function node(id: string, type: string, params: Record<string, unknown> = {}): GraphNode {
  return { id, type, title: id, x: 0, y: 0, params };
}

/** A graph of the given nodes, with `[from, fromSocket, to, toSocket]` edges. */
export function graphOf(
  nodes: GraphNode[],
  edges: Array<[string, string, string, string]> = [],
): Graph {
  return {
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    edges: Object.fromEntries(edges.map(([from, fromSocket, to, toSocket], i) => [
      `e${i}`,
      { id: `e${i}`, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } },
    ])),
  };
}

export async function saveGraph(
  t: Pick<TestApp, "deps">,
  projectId: string,
  graph: Graph,
): Promise<void> {
  await storeRevision(t.deps, projectId, { graph, message: "test", authorIds: [] });
}

/** One shot node, `shot1`: the simplest project that can generate. */
export function oneShot(): Graph {
  return graphOf([node("shot1", "shot.generate", { prompt: "a red door" })]);
}
