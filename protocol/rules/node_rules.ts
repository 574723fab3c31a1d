/**
 * The rules of node ops: a node has a known type and an id never used before (unless it is
 * restored), an update sets only the properties it names (per-property last writer wins, a param
 * set to `null` is removed) and keeps the params within bounds and valid for the node's type
 * (protocol/param_rules.ts: a value its schema refuses is never stored), and deleting a node takes its
 * edges with it (delete beats update: a later update of the node is refused).
 */
import { jsonBoundsProblem } from "../bounded_json.ts";
import { nodeType } from "../nodes.ts";
import { storedParamProblem } from "../param_rules.ts";
import {
  NONE,
  type OpOf,
  type Outcome,
  type Refusal,
  refuse,
  type RoomDoc,
  type Rules,
} from "./outcome.ts";

export const nodeRules: Rules<OpOf<"node.create" | "node.update" | "node.delete">> = {
  "node.create": createNode,
  "node.update": updateNode,
  "node.delete": deleteNode,
};

/** The refusal for an op naming node `id` that the graph does not hold. */
export function missingNode(doc: RoomDoc, id: string, field: string): Refusal {
  return doc.deleted.has(id)
    ? refuse("conflict", field, `node ${id} was deleted`)
    : refuse("not_found", field, `node ${id} does not exist`);
}

/** Merges a params patch: `null` removes a key. Returns a new object. */
export function mergeParams(
  params: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...params };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function createNode(doc: RoomDoc, { node, restore }: OpOf<"node.create">): Outcome {
  const { graph, deleted } = doc;
  if (!nodeType(node.type)) {
    return refuse("invalid", "node.type", `unknown node type "${node.type}"`);
  }
  const badParams = storedParamProblem(node.type, node.params, "node.params");
  if (badParams) return refuse("invalid", badParams.field, badParams.reason);
  const wasDeleted = deleted.has(node.id);
  if (graph.nodes[node.id] || (wasDeleted && !restore)) {
    return refuse("conflict", "node.id", `node id ${node.id} is already used`);
  }
  deleted.delete(node.id);
  graph.nodes[node.id] = structuredClone(node);
  return {
    ok: true,
    nodes: [node.id],
    edges: NONE,
    undo: () => {
      delete graph.nodes[node.id];
      if (wasDeleted) deleted.add(node.id);
    },
  };
}

function updateNode(doc: RoomDoc, { id, set }: OpOf<"node.update">): Outcome {
  const node = doc.graph.nodes[id];
  if (!node) return missingNode(doc, id, "id");
  const badParams = set.params && storedParamProblem(node.type, set.params, "set.params");
  if (badParams) return refuse("invalid", badParams.field, badParams.reason);
  const params = set.params ? mergeParams(node.params, set.params) : node.params;
  // Each update is bounded, but many could add up: the params they make must fit too.
  const problem = params === node.params ? null : jsonBoundsProblem(params);
  if (problem) return refuse("too_large", "set.params", `the node's params ${problem}`);
  const { title, x, y, params: paramsBefore } = node;
  if (set.title !== undefined) node.title = set.title;
  if (set.x !== undefined) node.x = set.x;
  if (set.y !== undefined) node.y = set.y;
  node.params = params;
  const undo = () => void Object.assign(node, { title, x, y, params: paramsBefore });
  return { ok: true, nodes: [id], edges: NONE, undo };
}

function deleteNode(doc: RoomDoc, { id }: OpOf<"node.delete">): Outcome {
  const { graph, deleted } = doc;
  const node = graph.nodes[id];
  if (!node) return missingNode(doc, id, "id");
  // Edges cannot outlive their ends.
  const edges = Object.values(graph.edges).filter((e) => e.from.node === id || e.to.node === id);
  delete graph.nodes[id];
  for (const edge of edges) delete graph.edges[edge.id];
  deleted.add(id);
  return {
    ok: true,
    nodes: [id],
    edges: edges.map((e) => e.id),
    undo: () => {
      graph.nodes[id] = node;
      for (const edge of edges) graph.edges[edge.id] = edge;
      deleted.delete(id);
    },
  };
}
