/** Teammates' cursors with their names, placed from world coordinates onto the screen. */
import { For, Show } from "solid-js";
import { worldToScreen } from "../canvas/viewport.ts";
import type { ProjectSession } from "../stores/project_session.ts";

export default function Cursors(props: { session: ProjectSession }) {
  const s = props.session;
  return (
    <For each={s.peers()}>
      {(peer) => {
        const at = () => {
          const c = s.cursors[peer.connectionId];
          return c ? worldToScreen(s.view.viewport(), c) : null;
        };
        return (
          <Show when={at()}>
            {(p) => (
              <div
                class="peer-cursor"
                style={{ transform: `translate(${p().x}px, ${p().y}px)`, "--peer": peer.color }}
                data-testid={`cursor-${peer.userId}`}
              >
                <svg width="14" height="18" viewBox="0 0 14 18" aria-hidden="true">
                  <path d="M0 0 L0 14 L4 10 L7 17 L9 16 L6 9 L12 9 Z" />
                </svg>
                <span class="peer-cursor-name">{peer.name}</span>
              </div>
            )}
          </Show>
        );
      }}
    </For>
  );
}
