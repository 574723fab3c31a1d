/**
 * The graph rules, as one pure function shared by the room (authoritative order) and client
 * replicas (optimistic apply, rebase): per-property last-writer-wins, delete beats update,
 * parameter values valid for their node type (protocol/param_rules.ts), typed sockets, no
 * cycles. The room applies in arrival order, so "last writer" is "last to reach the room"; a
 * replica applying the same accepted ops in `seq` order reaches the same graph.
 *
 * @example
 * ```ts
 * const graph = emptyGraph();
 * const result = applyOp(graph, { type: "node.delete", id: "n1" }, new Set());
 * if (!result.ok) console.log(result.code, result.reason);
 * ```
 */
import { jsonBoundsProblem } from "../protocol/bounded_json.ts";
import type { GraphOp, RejectCode } from "../protocol/canvas.ts";
import type { Graph, GraphEdge, GraphNode } from "../protocol/graph.ts";
import { canConnect, nodeType } from "../protocol/nodes.ts";
import { opParamProblem } from "../protocol/param_rules.ts";

export type ApplyResult = { ok: true } | {
  ok: false;
  code: RejectCode;
  reason: string;
  field: string;
};

function _reject(code: RejectCode, field: string, reason: string): ApplyResult {
  return { ok: false, code, field, reason };
}

/**
 * Applies `op` to `graph` in place when the rules allow it; otherwise leaves it untouched and
 * says why. `deleted` holds ids of deleted nodes (ids are never reused, so a stale update or a
 * replayed create cannot bring a deleted node back); it is updated in place too.
 */
export function applyOp(graph: Graph, op: GraphOp, deleted: Set<string>): ApplyResult {
  // A parameter value the node's schema refuses is never stored (a missing one may be).
  const badParams = opParamProblem(graph, op);
  if (badParams) return _reject("invalid", badParams.field, badParams.reason);
  switch (op.type) {
    case "node.create":
      return _createNode(graph, op.node, deleted, op.restore === true);
    case "node.update": {
      const node = graph.nodes[op.id];
      if (!node) return _missingNode(op.id, deleted, "id");
      const params = op.set.params ? _mergeParams(node.params, op.set.params) : node.params;
      // Each update is bounded, but many could add up: the params they make must fit too.
      const problem = params === node.params ? null : jsonBoundsProblem(params);
      if (problem) return _reject("too_large", "set.params", `the node's params ${problem}`);
      if (op.set.title !== undefined) node.title = op.set.title;
      if (op.set.x !== undefined) node.x = op.set.x;
      if (op.set.y !== undefined) node.y = op.set.y;
      node.params = params;
      return { ok: true };
    }
    case "node.delete": {
      if (!graph.nodes[op.id]) return _missingNode(op.id, deleted, "id");
      delete graph.nodes[op.id];
      deleted.add(op.id);
      // Edges cannot outlive their ends.
      for (const edge of Object.values(graph.edges)) {
        if (edge.from.node === op.id || edge.to.node === op.id) delete graph.edges[edge.id];
      }
      return { ok: true };
    }
    case "edge.create":
      return _createEdge(graph, op.edge, deleted);
    case "edge.delete":
      if (!graph.edges[op.id]) return _reject("not_found", "id", `edge ${op.id} does not exist`);
      delete graph.edges[op.id];
      return { ok: true };
  }
}

function _mergeParams(
  params: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...params };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function _missingNode(id: string, deleted: Set<string>, field: string): ApplyResult {
  return deleted.has(id)
    ? _reject("conflict", field, `node ${id} was deleted`)
    : _reject("not_found", field, `node ${id} does not exist`);
}

function _createNode(
  graph: Graph,
  node: GraphNode,
  deleted: Set<string>,
  restore: boolean,
): ApplyResult {
  if (!nodeType(node.type)) {
    return _reject("invalid", "node.type", `unknown node type ${node.type}`);
  }
  if (graph.nodes[node.id] || (deleted.has(node.id) && !restore)) {
    return _reject("conflict", "node.id", `node id ${node.id} is already used`);
  }
  deleted.delete(node.id);
  graph.nodes[node.id] = structuredClone(node);
  return { ok: true };
}

function _createEdge(graph: Graph, edge: GraphEdge, deleted: Set<string>): ApplyResult {
  if (graph.edges[edge.id]) {
    return _reject("conflict", "edge.id", `edge id ${edge.id} is already used`);
  }
  const from = graph.nodes[edge.from.node];
  if (!from) return _missingNode(edge.from.node, deleted, "edge.from.node");
  const to = graph.nodes[edge.to.node];
  if (!to) return _missingNode(edge.to.node, deleted, "edge.to.node");
  const output = nodeType(from.type)?.outputs.find((s) => s.name === edge.from.socket);
  if (!output) {
    return _reject(
      "not_found",
      "edge.from.socket",
      `${from.type} has no output ${edge.from.socket}`,
    );
  }
  const input = nodeType(to.type)?.inputs.find((s) => s.name === edge.to.socket);
  if (!input) {
    return _reject("not_found", "edge.to.socket", `${to.type} has no input ${edge.to.socket}`);
  }
  if (!canConnect(output.type, input.type)) {
    return _reject(
      "incompatible_sockets",
      "edge.to.socket",
      `cannot connect ${output.type} output to ${input.type} input`,
    );
  }
  const taken = Object.values(graph.edges).some((e) =>
    e.to.node === edge.to.node && e.to.socket === edge.to.socket
  );
  if (taken) {
    return _reject("conflict", "edge.to.socket", `input ${edge.to.socket} is already connected`);
  }
  if (_reaches(graph, edge.to.node, edge.from.node)) {
    return _reject("cycle", "edge", "this edge would make a cycle");
  }
  graph.edges[edge.id] = structuredClone(edge);
  return { ok: true };
}

/** Whether `target` is reachable from `start` along edges (a self-edge counts). */
function _reaches(graph: Graph, start: string, target: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of Object.values(graph.edges)) {
    next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  }
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
