/**
 * The scene: a spatial index of the graph's nodes and edges, kept in step with changes, that
 * answers "what is under this point" (sockets first, then nodes, then edges) and "which nodes
 * are in this rectangle". Reads the graph through a getter so it works over any store.
 */
import type { Graph } from "../../../protocol/graph.ts";
import type { SocketType } from "../../../protocol/nodes.ts";
import type { Change } from "./changes.ts";
import {
  edgeCurve,
  edgeEnds,
  layoutNode,
  sampleCurve,
  SOCKET_RADIUS,
  socketRowY,
  type SocketSide,
} from "./layout.ts";
import { SpatialIndex } from "./spatial_index.ts";
import { type Point, type Rect, rectContains, unionRects } from "./viewport.ts";

export type Hit =
  | { kind: "socket"; node: string; side: SocketSide; socket: string; type: SocketType }
  | { kind: "node"; node: string }
  | { kind: "edge"; edge: string }
  | { kind: "none" };

/** How close, in screen pixels, a pointer must be to grab a socket or an edge. */
const SOCKET_GRAB_PX = 10;
/**
 * ...but never more than this in world units: zoomed far out, a node is a few pixels wide and
 * a screen-sized grab area would cover it, making it impossible to drag.
 */
const SOCKET_GRAB_MAX = 18;
const EDGE_GRAB_PX = 6;

export class Scene {
  readonly #graph: () => Graph;
  readonly #nodes = new SpatialIndex();
  readonly #edges = new SpatialIndex();
  /** Sampled curve of each indexed edge, reused by every hit test until the edge moves. */
  readonly #curves = new Map<string, Point[]>();
  /** Edges touching each node, so moving a node re-files only its own edges. */
  readonly #adjacent = new Map<string, Set<string>>();
  /** The two nodes each indexed edge was filed under, to unfile it without a scan. */
  readonly #ends = new Map<string, readonly [string, string]>();
  #dirtyNodes = new Set<string>();
  #dirtyEdges = new Set<string>();

  constructor(graph: () => Graph) {
    this.#graph = graph;
    this.rebuild();
  }

  /** Re-reads the whole graph (after a snapshot). */
  rebuild(): void {
    this.#nodes.clear();
    this.#edges.clear();
    this.#curves.clear();
    this.#adjacent.clear();
    this.#ends.clear();
    this.#dirtyNodes = new Set();
    this.#dirtyEdges = new Set();
    const graph = this.#graph();
    for (const id of Object.keys(graph.nodes)) this.#fileNode(id);
    for (const id of Object.keys(graph.edges)) this.#fileEdge(id);
  }

  /**
   * Notes what `changes` touched; call after they were applied to the graph. Re-filing waits
   * for the next query, so a drag of many nodes (no queries until the drop) costs nothing here.
   */
  update(changes: readonly Change[]): void {
    for (const c of changes) {
      if (c.type === "node.create") this.#dirtyNodes.add(c.node.id);
      else if (c.type === "node.update" || c.type === "node.delete") this.#dirtyNodes.add(c.id);
      else if (c.type === "edge.create") this.#dirtyEdges.add(c.edge.id);
      else if (c.type === "edge.delete") this.#dirtyEdges.add(c.id);
      // Cut ops change no node or edge.
    }
  }

  #refresh(): void {
    if (this.#dirtyNodes.size === 0 && this.#dirtyEdges.size === 0) return;
    const edges = this.#dirtyEdges;
    for (const id of this.#dirtyNodes) {
      this.#fileNode(id);
      for (const edge of this.#adjacent.get(id) ?? []) edges.add(edge);
    }
    // New edges of a node are found through the graph, as adjacency only knows filed edges.
    if (this.#dirtyNodes.size > 0) {
      for (const edge of Object.values(this.#graph().edges)) {
        if (this.#dirtyNodes.has(edge.from.node) || this.#dirtyNodes.has(edge.to.node)) {
          edges.add(edge.id);
        }
      }
    }
    for (const id of edges) this.#fileEdge(id);
    this.#dirtyNodes = new Set();
    this.#dirtyEdges = new Set();
  }

  /** What is under world point `p` at zoom `zoom` (tolerances are in screen pixels). */
  hitTest(p: Point, zoom: number): Hit {
    this.#refresh();
    const graph = this.#graph();
    const grab = Math.min(SOCKET_GRAB_PX / zoom, SOCKET_GRAB_MAX);
    const candidates = this.#nodes.queryRect({
      x: p.x - grab,
      y: p.y - grab,
      w: 2 * grab,
      h: 2 * grab,
    });
    // Later nodes are drawn on top, so the last match wins.
    const order = this.#drawOrder(candidates);
    for (const id of order) {
      const node = graph.nodes[id]!;
      const layout = layoutNode(node);
      const sides = [["input", layout.inputs, node.x], [
        "output",
        layout.outputs,
        node.x + layout.rect.w,
      ]] as const;
      for (const [side, sockets, sx] of sides) {
        for (let i = 0; i < sockets.length; i++) {
          const sy = node.y + socketRowY(i);
          if (Math.hypot(p.x - sx, p.y - sy) <= Math.max(grab, SOCKET_RADIUS)) {
            const s = sockets[i]!;
            return { kind: "socket", node: id, side, socket: s.name, type: s.type };
          }
        }
      }
    }
    for (const id of order) {
      if (rectContains(this.#nodes.bounds(id)!, p)) return { kind: "node", node: id };
    }
    const edgeGrab = EDGE_GRAB_PX / zoom;
    const near = this.#edges.queryRect({
      x: p.x - edgeGrab,
      y: p.y - edgeGrab,
      w: 2 * edgeGrab,
      h: 2 * edgeGrab,
    });
    let best: { id: string; d: number } | null = null;
    for (const id of near) {
      const d = _distanceToPolyline(p, this.#curves.get(id)!);
      if (d <= edgeGrab && (!best || d < best.d)) best = { id, d };
    }
    return best ? { kind: "edge", edge: best.id } : { kind: "none" };
  }

  /** Nodes whose card intersects world rectangle `r` (marquee selection). */
  nodesIn(r: Rect): string[] {
    this.#refresh();
    return this.#nodes.queryRect(r);
  }

  /** Nodes and edges visible in world rectangle `r`, for culling what is rendered. */
  visible(r: Rect): { nodes: string[]; edges: string[] } {
    this.#refresh();
    return { nodes: this.#nodes.queryRect(r), edges: this.#edges.queryRect(r) };
  }

  nodeRect(id: string): Rect | undefined {
    this.#refresh();
    return this.#nodes.bounds(id);
  }

  /** Bounds of every node, or null for an empty graph. */
  bounds(): Rect | null {
    this.#refresh();
    return unionRects(
      Object.keys(this.#graph().nodes).flatMap((id) => this.#nodes.bounds(id) ?? []),
    );
  }

  #drawOrder(ids: string[]): string[] {
    if (ids.length < 2) return ids;
    const rank = new Map(Object.keys(this.#graph().nodes).map((id, i) => [id, i]));
    return ids.sort((a, b) => (rank.get(b) ?? 0) - (rank.get(a) ?? 0));
  }

  #fileNode(id: string): void {
    const node = this.#graph().nodes[id];
    if (node) this.#nodes.set(id, layoutNode(node).rect);
    else this.#nodes.delete(id);
  }

  #fileEdge(id: string): void {
    const graph = this.#graph();
    const edge = graph.edges[id];
    const ends = edge ? edgeEnds(graph.nodes, edge) : null;
    for (const node of this.#ends.get(id) ?? []) this.#adjacent.get(node)?.delete(id);
    this.#ends.delete(id);
    if (!edge || !ends) {
      this.#edges.delete(id);
      this.#curves.delete(id);
      return;
    }
    for (const node of [edge.from.node, edge.to.node]) {
      let set = this.#adjacent.get(node);
      if (!set) this.#adjacent.set(node, set = new Set());
      set.add(id);
    }
    this.#ends.set(id, [edge.from.node, edge.to.node]);
    const points = sampleCurve(edgeCurve(ends[0], ends[1]));
    this.#curves.set(id, points);
    this.#edges.set(id, unionRects(points.map((p) => ({ x: p.x, y: p.y, w: 0, h: 0 })))!);
  }
}

function _distanceToPolyline(p: Point, points: Point[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!, b = points[i]!;
    const dx = b.x - a.x, dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0
      ? 0
      : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
  }
  return best;
}
