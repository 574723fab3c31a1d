/**
 * Edges as SVG curves in world space, plus the wire being dragged out of a socket. An edge's
 * path changes only when one of its end nodes is stored somewhere new; during a drag the edges
 * touching carried nodes are drawn by DragEdges instead.
 */
import { createMemo, For, Show } from "solid-js";
import { edgePath, edgeSocketType, socketPosition } from "../canvas/layout.ts";
import type { ProjectSession } from "../stores/project_session.ts";

function EdgePath(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const edge = () => s.graph.edges[props.id];
  // While a drag redraws this edge on the drag layer (DragEdges), the path here is hidden.
  const carried = createMemo(() => s.view.carry()?.edges.has(props.id) === true);
  // Reads only the two end nodes' positions: moving other nodes never recomputes this edge.
  const geometry = createMemo(() => {
    const e = edge();
    const from = e && s.graph.nodes[e.from.node];
    const to = e && s.graph.nodes[e.to.node];
    if (!e || !from || !to) return null;
    const a = socketPosition({ type: from.type, x: from.x, y: from.y }, "output", e.from.socket);
    const b = socketPosition({ type: to.type, x: to.x, y: to.y }, "input", e.to.socket);
    if (!a || !b) return null;
    return { d: edgePath(a, b), socketType: edgeSocketType(from.type, e.from.socket) };
  });
  return (
    <Show when={geometry()}>
      {(g) => (
        <path
          class={`edge t-${g().socketType}`}
          classList={{ selected: s.view.isEdgeSelected(props.id), carried: carried() }}
          d={g().d}
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
