/**
 * One node on the canvas, sized by canvas/layout.ts so the engine's hit tests match what is
 * drawn: header, socket rows and run body are in normal flow with the heights layout.ts uses
 * (HEADER_HEIGHT, BODY_PADDING, SOCKET_ROW), not absolutely placed, so a card is one paint
 * layer, not six. Position is a transform, so moving a node touches one style.
 */
import { createEffect, createMemo, For, Show } from "solid-js";
import { isExecutable, nodeType } from "../../../protocol/nodes.ts";
import { layoutNode } from "../canvas/layout.ts";
import { type Rect, rectsIntersect } from "../canvas/viewport.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { CompositedMotion } from "./compositor.ts";
import NodeRun from "./NodeRun.tsx";

export default function NodeCard(
  props: { session: ProjectSession; id: string; region: () => Rect | null },
) {
  const s = props.session;
  const node = () => s.graph.nodes[props.id];
  // Type never changes for a node id, so its layout (size, sockets) is computed once.
  const type = node()?.type ?? "";
  const def = nodeType(type);
  const layout = layoutNode({ type, x: 0, y: 0 });
  // Light: outside the region drawn in full (far off screen, or zoomed far out), the card
  // leaves out socket names, run controls and takes (styles.css).
  const light = createMemo(() => {
    const region = props.region(), n = node();
    return !region || !n || !rectsIntersect(region, { ...layout.rect, x: n.x, y: n.y });
  });
  const selected = () => s.view.isSelected(props.id);
  const peer = () => s.selectedByPeer()[props.id];
  const hoverSocket = () => s.view.hoverSocket(props.id);
  // During a drag only carried nodes (canvas/carry.ts) follow the offset, as a `translate`
  // moved on the compositor; the others never re-run this on a drag step.
  const carried = createMemo(() => s.view.carry()?.nodes.has(props.id) === true);
  let el: HTMLDivElement | undefined;
  let motion: CompositedMotion | null = null;
  createEffect(() => {
    const offset = carried() ? s.view.carriedOffset() : null;
    if (!el) return;
    if (motion?.element !== el) motion = new CompositedMotion(el, "translate");
    if (offset) motion.set(`${offset.x}px ${offset.y}px`);
    else if (motion.value !== null) motion.settle(null);
  });

  return (
    <Show when={node()}>
      {(n) => (
        <div
          ref={el}
          class={`node cat-${def?.category ?? "unknown"}`}
          classList={{ selected: selected(), "peer-selected": !!peer(), light: light() }}
          style={{
            transform: `translate(${n().x}px, ${n().y}px)`,
            width: `${layout.rect.w}px`,
            height: `${layout.rect.h}px`,
            "--peer": peer()?.color,
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
            {/* An asset node keeps its own title; the asset it stands for is named beside it. */}
            <Show
              when={def?.category === "asset" && typeof n().params.name === "string" &&
                n().params.name}
            >
              {(name) => <span class="node-asset" data-testid="node-asset">{name() as string}
              </span>}
            </Show>
            <Show when={peer()}>
              <span class="node-peer" title={`${peer()!.name} has this selected`}>
                {peer()!.name}
              </span>
            </Show>
          </header>
          <div class="node-sockets">
            <div class="socket-col in">
              <For each={layout.inputs}>
                {(socket) => (
                  <div class="socket-row">
                    <span
                      class={`socket t-${socket.type}`}
                      classList={{
                        hover: hoverSocket() === `input:${socket.name}`,
                        required: socket.required === true,
                      }}
                      title={`${socket.name}: ${socket.type}${
                        socket.required ? " (required)" : ""
                      }`}
                      data-testid={`socket-${props.id}-in-${socket.name}`}
                    />
                    <span class="socket-label">{socket.name}</span>
                  </div>
                )}
              </For>
            </div>
            <div class="socket-col out">
              <For each={layout.outputs}>
                {(socket) => (
                  <div class="socket-row">
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
            </div>
          </div>
          <Show when={def && isExecutable(def) && layout.runBodyTop !== null}>
            <NodeRun session={s} id={props.id} />
          </Show>
        </div>
      )}
    </Show>
  );
}
