/**
 * Pure edit builders: from the graph and a selection to the changes an edit makes. The engine
 * applies and records them; tests call them directly.
 */
import type { Graph, GraphEdge, GraphNode } from "../../../protocol/graph.ts";
import { nodeType, type NodeTypeDef } from "../../../protocol/nodes.ts";
import type { Change } from "./changes.ts";
import type { Point } from "./viewport.ts";

/**
 * A position rounded to whole world units, never -0: JSON sends -0 as 0, so a -0 kept locally
 * would differ from what the room and every teammate hold.
 */
export function snap(v: number): number {
  return Math.round(v) + 0;
}

/**
 * The parameters a new node starts with: each schema default, and nothing for fields without
 * one (a prompt must be written by the user, so it is left for the inspector to ask for).
 */
export function defaultParams(def: NodeTypeDef): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(def.params.shape)) {
    const parsed = (field as { safeParse(v: unknown): { success: boolean; data?: unknown } })
      .safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) params[key] = parsed.data;
  }
  return params;
}

/** A `node.create` for a node of `type` with its top-left corner at `at`. */
export function createNode(type: string, at: Point, id: string): Change {
  const def = nodeType(type);
  if (!def) throw new Error(`unknown node type "${type}"`);
  const node: GraphNode = {
    id,
    type,
    title: def.title,
    x: snap(at.x),
    y: snap(at.y),
    params: defaultParams(def),
  };
  return { type: "node.create", node };
}

/** Deletes the selected nodes, their edges first (so every removal is explicit), and `edges`. */
export function deleteSelection(
  graph: Graph,
  nodes: Iterable<string>,
  edges: Iterable<string> = [],
): Change[] {
  const doomed = new Set([...nodes].filter((id) => Object.hasOwn(graph.nodes, id)));
  const edgeIds = new Set([...edges].filter((id) => Object.hasOwn(graph.edges, id)));
  for (const edge of Object.values(graph.edges)) {
    if (doomed.has(edge.from.node) || doomed.has(edge.to.node)) edgeIds.add(edge.id);
  }
  return [
    ...[...edgeIds].map((id): Change => ({ type: "edge.delete", id })),
    ...[...doomed].map((id): Change => ({ type: "node.delete", id })),
  ];
}

/** Moves nodes to `start + delta` (positions rounded to whole world units). */
export function moveNodes(starts: ReadonlyMap<string, Point>, dx: number, dy: number): Change[] {
  return [...starts].map(([id, p]): Change => ({
    type: "node.update",
    id,
    set: { x: snap(p.x + dx), y: snap(p.y + dy) },
  }));
}

/**
 * Copies the selected nodes, offset by `offset`, with the edges that run between them
 * (edges from outside the selection are not copied: a copy should not steal inputs).
 * Returns the changes and the ids of the copies.
 */
export function duplicate(
  graph: Graph,
  selection: Iterable<string>,
  newId: () => string,
  offset: Point = { x: 32, y: 32 },
): { changes: Change[]; ids: string[] } {
  const ids = new Map<string, string>();
  const changes: Change[] = [];
  for (const id of selection) {
    const node = graph.nodes[id];
    if (!node) continue;
    const copy: GraphNode = {
      ...structuredClone(node),
      id: newId(),
      x: node.x + offset.x,
      y: node.y + offset.y,
    };
    ids.set(id, copy.id);
    changes.push({ type: "node.create", node: copy });
  }
  for (const edge of Object.values(graph.edges)) {
    const from = ids.get(edge.from.node), to = ids.get(edge.to.node);
    if (!from || !to) continue;
    const copy: GraphEdge = {
      id: newId(),
      from: { node: from, socket: edge.from.socket },
      to: { node: to, socket: edge.to.socket },
    };
    changes.push({ type: "edge.create", edge: copy });
  }
  return { changes, ids: [...ids.values()] };
}
