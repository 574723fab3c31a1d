/**
 * Node geometry, shared by the renderer and hit testing so that what is drawn is what is hit:
 * fixed-width cards, inputs down the left edge, outputs down the right, and a body for
 * progress and takes on nodes that can run.
 */
import { isExecutable, nodeType, type SocketDef } from "../../../protocol/nodes.ts";
import type { GraphEdge, GraphNode } from "../../../protocol/graph.ts";
import type { Point, Rect } from "./viewport.ts";

export const NODE_WIDTH = 220;
export const HEADER_HEIGHT = 28;
export const SOCKET_ROW = 22;
export const BODY_PADDING = 6;
/** Room for the run controls, a note (availability, progress with Cancel) and the takes strip. */
export const RUN_BODY_HEIGHT = 104;
export const SOCKET_RADIUS = 6;

export interface NodeLayout {
  rect: Rect;
  inputs: readonly SocketDef[];
  outputs: readonly SocketDef[];
  /** Top of the run body (progress, takes), relative to the node; null when it cannot run. */
  runBodyTop: number | null;
}

export type SocketSide = "input" | "output";

export function layoutNode(node: Pick<GraphNode, "type" | "x" | "y">): NodeLayout {
  const def = nodeType(node.type);
  const inputs = def?.inputs ?? [];
  const outputs = def?.outputs ?? [];
  const rows = Math.max(inputs.length, outputs.length, 1);
  const socketsBottom = HEADER_HEIGHT + BODY_PADDING * 2 + rows * SOCKET_ROW;
  const runs = def !== undefined && isExecutable(def);
  const h = socketsBottom + (runs ? RUN_BODY_HEIGHT : 0);
  return {
    rect: { x: node.x, y: node.y, w: NODE_WIDTH, h },
    inputs,
    outputs,
    runBodyTop: runs ? socketsBottom : null,
  };
}

/** The y offset, from the node's top, of the centre of socket row `index`. */
export function socketRowY(index: number): number {
  return HEADER_HEIGHT + BODY_PADDING + index * SOCKET_ROW + SOCKET_ROW / 2;
}

/** Socket centres relative to the node's corner, per node type (types never change). */
const _socketOffsets = new Map<string, Map<string, Point>>();

function _offsets(type: string): Map<string, Point> {
  let offsets = _socketOffsets.get(type);
  if (!offsets) {
    const layout = layoutNode({ type, x: 0, y: 0 });
    offsets = new Map();
    layout.inputs.forEach((s, i) => offsets!.set(`input:${s.name}`, { x: 0, y: socketRowY(i) }));
    layout.outputs.forEach((s, i) =>
      offsets!.set(`output:${s.name}`, { x: NODE_WIDTH, y: socketRowY(i) })
    );
    _socketOffsets.set(type, offsets);
  }
  return offsets;
}

/** World position of a socket's centre, or null when the node type has no such socket. */
export function socketPosition(
  node: Pick<GraphNode, "type" | "x" | "y">,
  side: SocketSide,
  socket: string,
): Point | null {
  const offset = _offsets(node.type).get(`${side}:${socket}`);
  return offset ? { x: node.x + offset.x, y: node.y + offset.y } : null;
}

/** Control points of the cubic curve drawn for an edge from `a` (output) to `b` (input). */
export function edgeCurve(a: Point, b: Point): [Point, Point, Point, Point] {
  const bend = Math.max(40, Math.abs(b.x - a.x) / 2);
  return [a, { x: a.x + bend, y: a.y }, { x: b.x - bend, y: b.y }, b];
}

/** SVG path data for an edge curve. */
export function edgePath(a: Point, b: Point): string {
  const [p0, p1, p2, p3] = edgeCurve(a, b);
  return `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`;
}

/** The type of the value an edge carries: its output socket's type ("any" if unknown). */
export function edgeSocketType(fromType: string, socket: string): string {
  return nodeType(fromType)?.outputs.find((o) => o.name === socket)?.type ?? "any";
}

/** The two socket centres an edge joins, or null if either end is missing. */
export function edgeEnds(
  nodes: Readonly<Record<string, GraphNode>>,
  edge: GraphEdge,
): [Point, Point] | null {
  const from = nodes[edge.from.node];
  const to = nodes[edge.to.node];
  if (!from || !to) return null;
  const a = socketPosition(from, "output", edge.from.socket);
  const b = socketPosition(to, "input", edge.to.socket);
  return a && b ? [a, b] : null;
}

/** Points along an edge's curve, for hit testing and bounds. */
export function sampleCurve(curve: [Point, Point, Point, Point], segments = 16): Point[] {
  const [p0, p1, p2, p3] = curve;
  const points: Point[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments, u = 1 - t;
    const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
    points.push({
      x: a * p0.x + b * p1.x + c * p2.x + d * p3.x,
      y: a * p0.y + b * p1.y + c * p2.y + d * p3.y,
    });
  }
  return points;
}
