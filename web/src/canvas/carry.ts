/**
 * How a drag is drawn: which nodes are carried by their own offset, and which edges must be
 * redrawn while it lasts. Plain data, computed once when a drag starts.
 *
 * Either the dragged nodes are carried by the drag offset, or, when they are the larger part
 * of the graph, the whole world moves by the offset and the nodes left behind are carried back
 * by its opposite (`sign` −1). Either way the smaller side moves on its own, so dragging all 300
 * nodes moves one layer, not 300. Edges touching a carried node change shape or place during
 * the drag (they are redrawn each step); every other edge rides with its layer unchanged.
 *
 * @example
 * ```ts
 * const plan = planCarry(graph, new Set(["a"]));
 * // plan.nodes: {"a"}, plan.sign: 1, plan.edges: edges joined to "a"
 * ```
 */
import type { Graph } from "../../../protocol/graph.ts";
import type { Point } from "./viewport.ts";

export interface Carry {
  /** Nodes drawn with their own offset: `sign` times the drag. */
  nodes: ReadonlySet<string>;
  /** 1: the dragged nodes are carried; −1: the world moves and the others are carried back. */
  sign: 1 | -1;
  /** Edges with at least one end on a carried node: redrawn on every drag step. */
  edges: ReadonlySet<string>;
}

export function planCarry(graph: Graph, moving: ReadonlySet<string>): Carry {
  const ids = Object.keys(graph.nodes);
  const dragged = ids.filter((id) => moving.has(id));
  const sign = dragged.length * 2 > ids.length ? -1 : 1;
  const nodes = new Set(sign === 1 ? dragged : ids.filter((id) => !moving.has(id)));
  const edges = new Set(
    Object.values(graph.edges)
      .filter((e) => nodes.has(e.from.node) || nodes.has(e.to.node))
      .map((e) => e.id),
  );
  return { nodes, sign, edges };
}

/** Where a node is drawn during a drag by `drag`, given its stored position. */
export function carriedPosition(
  carry: Carry,
  id: string,
  at: Point,
  drag: Point,
): Point {
  return carry.nodes.has(id) === (carry.sign === 1) ? { x: at.x + drag.x, y: at.y + drag.y } : at;
}
