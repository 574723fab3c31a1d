/**
 * Typed change objects: every edit to the graph, local or remote, is one of these. The same
 * objects are applied to the store, sent to the room, inverted for undo and asserted in tests.
 */
import type { GraphOp, NodeChanges } from "../../../protocol/canvas.ts";
import type { Graph } from "../../../protocol/graph.ts";

/**
 * One change to the graph: exactly the room's graph operation (`node.create`, `node.update`
 * with per-property `set` where a param set to `null` is removed, `node.delete`,
 * `edge.create`, `edge.delete`), so a local edit is sent as it is.
 */
export type Change = GraphOp;
export type NodePatch = NodeChanges;

/** Whether `change` can be applied to `graph` (its targets exist, or do not yet exist). */
export function applies(graph: Graph, change: Change): boolean {
  switch (change.type) {
    case "node.create":
      return !Object.hasOwn(graph.nodes, change.node.id);
    case "node.update":
    case "node.delete":
      return Object.hasOwn(graph.nodes, change.id);
    case "edge.create":
      return !Object.hasOwn(graph.edges, change.edge.id) &&
        Object.hasOwn(graph.nodes, change.edge.from.node) &&
        Object.hasOwn(graph.nodes, change.edge.to.node);
    case "edge.delete":
      return Object.hasOwn(graph.edges, change.id);
  }
}

/**
 * The changes of a batch that would apply to `graph` in order (targets present, new ids free),
 * without copying the graph: an edit of a node a teammate deleted meanwhile is dropped here
 * rather than sent to be refused.
 */
export function applicable(graph: Graph, changes: readonly Change[]): Change[] {
  // What the batch itself created or removed so far, over the graph.
  const nodes = new Map<string, boolean>(), edges = new Map<string, boolean>();
  const hasNode = (id: string) => nodes.get(id) ?? Object.hasOwn(graph.nodes, id);
  const hasEdge = (id: string) => edges.get(id) ?? Object.hasOwn(graph.edges, id);
  return changes.filter((c) => {
    switch (c.type) {
      case "node.create":
        return !hasNode(c.node.id) && (nodes.set(c.node.id, true), true);
      case "node.update":
        return hasNode(c.id);
      case "node.delete":
        if (!hasNode(c.id)) return false;
        nodes.set(c.id, false);
        for (const e of Object.values(graph.edges)) {
          if (e.from.node === c.id || e.to.node === c.id) edges.set(e.id, false);
        }
        return true;
      case "edge.create":
        return !hasEdge(c.edge.id) && hasNode(c.edge.from.node) && hasNode(c.edge.to.node) &&
          (edges.set(c.edge.id, true), true);
      case "edge.delete":
        return hasEdge(c.id) && (edges.set(c.id, false), true);
    }
  });
}

/** Merges a params patch: `null` removes a key. Returns a new object. */
export function mergeParams(
  params: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const next = { ...params };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * Applies changes to a graph in place, skipping those that no longer apply (a teammate deleted
 * the node meanwhile). Deleting a node also removes the edges that touch it, as the room does.
 * Returns the changes that were applied.
 */
export function applyChanges(graph: Graph, changes: readonly Change[]): Change[] {
  const applied: Change[] = [];
  for (const change of changes) {
    if (!applies(graph, change)) continue;
    switch (change.type) {
      case "node.create":
        graph.nodes[change.node.id] = structuredClone(change.node);
        break;
      case "node.update": {
        const node = graph.nodes[change.id]!;
        const { params, ...rest } = change.set;
        Object.assign(node, rest);
        if (params) node.params = mergeParams(node.params, params);
        break;
      }
      case "node.delete":
        for (const edge of Object.values(graph.edges)) {
          if (edge.from.node === change.id || edge.to.node === change.id) {
            delete graph.edges[edge.id];
          }
        }
        delete graph.nodes[change.id];
        break;
      case "edge.create":
        graph.edges[change.edge.id] = structuredClone(change.edge);
        break;
      case "edge.delete":
        delete graph.edges[change.id];
        break;
    }
    applied.push(change);
  }
  return applied;
}

/**
 * The changes that undo `changes`, computed against the graph as it was *before* they were
 * applied. A node deletion is undone by restoring the node (same id, so its takes come back with
 * it) and the edges it took with it.
 */
export function invertChanges(before: Graph, changes: readonly Change[]): Change[] {
  // Walk a scratch copy forward so each inverse sees the state its change was applied to.
  const scratch = structuredClone(before);
  const inverse: Change[] = [];
  for (const change of changes) {
    if (!applies(scratch, change)) continue;
    inverse.unshift(..._inverseOf(scratch, change));
    applyChanges(scratch, [change]);
  }
  return inverse;
}

function _inverseOf(graph: Graph, change: Change): Change[] {
  switch (change.type) {
    case "node.create":
      return [{ type: "node.delete", id: change.node.id }];
    case "node.update": {
      const node = graph.nodes[change.id]!;
      const set: NodePatch = {};
      if (change.set.x !== undefined) set.x = node.x;
      if (change.set.y !== undefined) set.y = node.y;
      if (change.set.title !== undefined) set.title = node.title;
      if (change.set.params) {
        set.params = Object.fromEntries(
          Object.keys(change.set.params).map((
            k,
          ) => [k, Object.hasOwn(node.params, k) ? node.params[k] : null]),
        );
      }
      return [{ type: "node.update", id: change.id, set }];
    }
    case "node.delete": {
      const node = graph.nodes[change.id]!;
      const edges = Object.values(graph.edges).filter((e) =>
        e.from.node === change.id || e.to.node === change.id
      );
      // Node first, then its edges: the order in which they must be re-applied.
      return [
        { type: "node.create", node: structuredClone(node), restore: true },
        ...edges.map((edge): Change => ({ type: "edge.create", edge: structuredClone(edge) })),
      ];
    }
    case "edge.create":
      return [{ type: "edge.delete", id: change.edge.id }];
    case "edge.delete":
      return [{ type: "edge.create", edge: structuredClone(graph.edges[change.id]!) }];
  }
}
