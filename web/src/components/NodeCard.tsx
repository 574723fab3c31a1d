/**
 * One node on the canvas, sized and laid out by canvas/layout.ts so the engine's hit tests
 * match what is drawn. Position is a transform, so moving a node touches one style.
 */
import { For, Show } from "solid-js";
import { isExecutable, nodeType } from "../../../protocol/nodes.ts";
import { layoutNode, SOCKET_ROW, socketRowY } from "../canvas/layout.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import NodeRun from "./NodeRun.tsx";

export default function NodeCard(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const node = () => s.graph.nodes[props.id];
  // Type never changes for a node id, so its layout (size, sockets) is computed once.
  const type = node()?.type ?? "";
  const def = nodeType(type);
  const layout = layoutNode({ type, x: 0, y: 0 });
  const selected = () => s.view.isSelected(props.id);
  const peer = () => s.selectedByPeer()[props.id];
  const hoverSocket = () => s.view.hoverSocket(props.id);
  // Only selected nodes follow the drag offset; the others never re-run this on a drag step.
  const moving = () => selected() && s.view.dragging();
  const dragOffset = () => {
    if (!moving()) return undefined;
    const d = s.view.drag()!;
    return `${d.x}px ${d.y}px`;
  };

  return (
    <Show when={node()}>
      {(n) => (
        <div
          class={`node cat-${def?.category ?? "unknown"}`}
          classList={{ selected: selected(), "peer-selected": !!peer() }}
          style={{
            transform: `translate(${n().x}px, ${n().y}px)`,
            width: `${layout.rect.w}px`,
            height: `${layout.rect.h}px`,
            "--peer": peer()?.color,
            // A drag in progress: the graph keeps the start position until the drop.
            translate: dragOffset(),
          }}
          tabindex="0"
          role="group"
          aria-label={`${n().title} (${def?.title ?? type})`}
          aria-selected={selected()}
          data-testid={`node-${props.id}`}
          data-node-type={type}
          onFocus={() => {
            if (!selected()) s.engine.select([props.id]);
          }}
        >
          <header class="node-head">
            <span class="node-title" data-testid="node-title">{n().title}</span>
            <Show when={peer()}>
              <span class="node-peer" title={`${peer()!.name} has this selected`}>
                {peer()!.name}
              </span>
            </Show>
          </header>
          <For each={layout.inputs}>
            {(socket, i) => (
              <div class="socket-row in" style={{ top: `${socketRowY(i()) - SOCKET_ROW / 2}px` }}>
                <span
                  class={`socket t-${socket.type}`}
                  classList={{
                    hover: hoverSocket() === `input:${socket.name}`,
                    required: socket.required === true,
                  }}
                  title={`${socket.name}: ${socket.type}${socket.required ? " (required)" : ""}`}
                  data-testid={`socket-${props.id}-in-${socket.name}`}
                />
                <span class="socket-label">{socket.name}</span>
              </div>
            )}
          </For>
          <For each={layout.outputs}>
            {(socket, i) => (
              <div class="socket-row out" style={{ top: `${socketRowY(i()) - SOCKET_ROW / 2}px` }}>
                <span class="socket-label">{socket.name}</span>
                <span
                  class={`socket t-${socket.type}`}
                  classList={{ hover: hoverSocket() === `output:${socket.name}` }}
                  title={`${socket.name}: ${socket.type}`}
                  data-testid={`socket-${props.id}-out-${socket.name}`}
                />
              </div>
            )}
          </For>
          <Show when={def && isExecutable(def) && layout.runBodyTop !== null}>
            <NodeRun session={s} id={props.id} top={layout.runBodyTop!} />
          </Show>
        </div>
      )}
    </Show>
  );
}
