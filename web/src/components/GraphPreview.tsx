/**
 * A small read-only drawing of a graph (a revision in the history panel, before anyone reverts
 * to it): each node as its card's outline, coloured by category and titled, and each
 * connection as the canvas draws it. Same geometry as the canvas (canvas/layout.ts), scaled to
 * fit; nothing in it can be clicked or changed.
 */
import { createMemo, For } from "solid-js";
import type { Graph } from "../../../protocol/graph.ts";
import { nodeType } from "../../../protocol/nodes.ts";
import { edgeEnds, edgePath, edgeSocketType, layoutNode } from "../canvas/layout.ts";

const MARGIN = 40;

export default function GraphPreview(props: { graph: Graph; label: string }) {
  const nodes = createMemo(() =>
    Object.values(props.graph.nodes).map((n) => ({ node: n, rect: layoutNode(n).rect }))
  );
  const box = createMemo(() => {
    const rects = nodes().map((n) => n.rect);
    if (rects.length === 0) return "0 0 400 200";
    const x = Math.min(...rects.map((r) => r.x)) - MARGIN;
    const y = Math.min(...rects.map((r) => r.y)) - MARGIN;
    const w = Math.max(...rects.map((r) => r.x + r.w)) + MARGIN - x;
    const h = Math.max(...rects.map((r) => r.y + r.h)) + MARGIN - y;
    return `${x} ${y} ${w} ${h}`;
  });
  const edges = createMemo(() =>
    Object.values(props.graph.edges).flatMap((e) => {
      const ends = edgeEnds(props.graph.nodes, e);
      const from = props.graph.nodes[e.from.node];
      return ends && from
        ? [{ id: e.id, d: edgePath(...ends), type: edgeSocketType(from.type, e.from.socket) }]
        : [];
    })
  );
  return (
    <svg
      class="graph-preview"
      viewBox={box()}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={props.label}
      data-testid="graph-preview"
    >
      <For each={edges()}>
        {(e) => <path class={`preview-edge t-${e.type}`} d={e.d} data-testid="preview-edge" />}
      </For>
      <For each={nodes()}>
        {({ node, rect }) => (
          <g class={`preview-node cat-${nodeType(node.type)?.category ?? "unknown"}`}>
            <rect
              x={rect.x}
              y={rect.y}
              width={rect.w}
              height={rect.h}
              rx="8"
              data-testid="preview-node"
            />
            <text x={rect.x + 12} y={rect.y + 30}>{node.title}</text>
          </g>
        )}
      </For>
    </svg>
  );
}
