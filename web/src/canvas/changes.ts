/**
 * Typed change objects: every edit to the graph, local or remote, is one of these. The same
 * objects are applied to the store, sent to the room, inverted for undo and asserted in tests.
 * They are applied under the room's own rules (protocol/rules), so the canvas never draws an
 * edit the room would refuse.
 */
import type { GraphOp, NodeChanges } from "../../../protocol/canvas.ts";
import type { Graph } from "../../../protocol/graph.ts";
import { applyOp } from "../../../protocol/rules/mod.ts";
import { inverseOfCutOp } from "./cut_inverse.ts";

/**
 * One change to the graph: exactly the room's graph operation (`node.create`, `node.update`
 * with per-property `set` where a param set to `null` is removed, `node.delete`,
 * `edge.create`, `edge.delete`), so a local edit is sent as it is.
 */
export type Change = GraphOp;
export type NodePatch = NodeChanges;

/**
 * Applies changes to a graph in place, skipping those the rules refuse (a teammate deleted the
 * node meanwhile, say). Deleting a node also removes the edges that touch it, as the room does.
 * Returns the changes that were applied.
 */
export function applyChanges(graph: Graph, changes: readonly Change[]): Change[] {
  // The drawn graph keeps no tombstones: which ids are spent is the room's to say.
  const doc = { graph, deleted: new Set<string>() };
  return changes.filter((change) => applyOp(doc, change).ok);
}

/**
 * Plans one user edit on `graph`, which is left as it is: the changes of the batch that apply
 * in order (an edit of a node a teammate deleted meanwhile is dropped here rather than sent to
 * be refused) and the changes that undo them. A node deletion is undone by restoring the node
 * (same id, so its takes come back with it) and the edges it took with it.
 */
export function planEdit(
  graph: Graph,
  changes: readonly Change[],
): { changes: Change[]; undo: Change[] } {
  // Walk a scratch copy forward so each inverse sees the state its change was applied to.
  const doc = { graph: structuredClone(graph), deleted: new Set<string>() };
  const applied: Change[] = [];
  const undo: Change[] = [];
  for (const change of changes) {
    const inverse = _inverseOf(doc.graph, change);
    if (!applyOp(doc, change).ok) continue;
    applied.push(change);
    undo.unshift(...inverse);
  }
  return { changes: applied, undo };
}

/** The changes that undo `change` on `graph` (none when its target is missing: it won't apply). */
function _inverseOf(graph: Graph, change: Change): Change[] {
  switch (change.type) {
    case "node.create":
      return [{ type: "node.delete", id: change.node.id }];
    case "node.update": {
      const node = graph.nodes[change.id];
      if (!node) return [];
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
      const node = graph.nodes[change.id];
      if (!node) return [];
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
    case "edge.delete": {
      const edge = graph.edges[change.id];
      return edge ? [{ type: "edge.create", edge: structuredClone(edge) }] : [];
    }
    default:
      // The timeline's edits of a cut: undone on the same history as the canvas's.
      return inverseOfCutOp(graph, change);
  }
}
