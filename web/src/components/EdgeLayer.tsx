/** Edges as SVG curves in world space, plus the wire being dragged out of a socket. */
import { createMemo, For, Show } from "solid-js";
import { nodeType } from "../../../protocol/nodes.ts";
import { edgePath, socketPosition } from "../canvas/layout.ts";
import type { ProjectSession } from "../stores/project_session.ts";

function EdgePath(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const edge = () => s.graph.edges[props.id];
  const dragging = s.view.dragging;
  // While the selection is dragged, an edge inside it is translated with it; an edge with one
  // end in it is redrawn each step, since only that end moves.
  const fromMoves = () => dragging() && s.view.isSelected(edge()?.from.node ?? "");
  const toMoves = () => dragging() && s.view.isSelected(edge()?.to.node ?? "");
  const rigid = () => fromMoves() && toMoves();
  // Reads only the two end nodes' positions: moving other nodes never recomputes this edge.
  const geometry = createMemo(() => {
    const e = edge();
    const from = e && s.graph.nodes[e.from.node];
    const to = e && s.graph.nodes[e.to.node];
    if (!e || !from || !to) return null;
    const a = socketPosition({ type: from.type, x: from.x, y: from.y }, "output", e.from.socket);
    const b = socketPosition({ type: to.type, x: to.x, y: to.y }, "input", e.to.socket);
    if (!a || !b) return null;
    const socketType = nodeType(from.type)?.outputs.find((o) => o.name === e.from.socket)?.type ??
      "any";
    return { a, b, socketType };
  });
  const d = () => {
    const g = geometry();
    if (!g) return "";
    if (rigid() || (!fromMoves() && !toMoves())) return edgePath(g.a, g.b);
    const off = s.view.drag()!;
    const shift = (p: { x: number; y: number }, moves: boolean) =>
      moves ? { x: p.x + off.x, y: p.y + off.y } : p;
    return edgePath(shift(g.a, fromMoves()), shift(g.b, toMoves()));
  };
  return (
    <Show when={geometry()}>
      {(g) => (
        <path
          class={`edge t-${g().socketType}`}
          classList={{ selected: s.view.isEdgeSelected(props.id) }}
          style={{ translate: rigid() ? `${s.view.drag()!.x}px ${s.view.drag()!.y}px` : undefined }}
          d={d()}
          data-testid={`edge-${props.id}`}
        />
      )}
    </Show>
  );
}

export default function EdgeLayer(props: { session: ProjectSession }) {
  const s = props.session;
  const edgeIds = createMemo(() => Object.keys(s.graph.edges));
  const wire = () => s.view.wire();
  return (
    <svg class="edges" aria-hidden="true">
      <For each={edgeIds()}>{(id) => <EdgePath session={s} id={id} />}</For>
      <Show when={wire()}>
        {(w) => {
          // The curve always runs output → input, whichever end the drag started from.
          const d = () =>
            w().from.side === "output"
              ? edgePath(w().start, w().end)
              : edgePath(w().end, w().start);
          return (
            <path
              class="wire"
              classList={{ ok: w().check?.ok === true, refused: w().check?.ok === false }}
              d={d()}
              data-testid="wire"
            />
          );
        }}
      </Show>
    </svg>
  );
}
