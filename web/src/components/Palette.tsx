/**
 * The node catalog by category. Drag an item onto the canvas to place it there, or activate
 * it (click, Enter) to place it in the middle of the view.
 */
import { createSignal, For, Show } from "solid-js";
import { NODE_CATEGORIES, NODE_TYPES, type NodeTypeDef } from "../../../protocol/nodes.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { NODE_DRAG_TYPE } from "./CanvasView.tsx";

const CATEGORY_TITLES: Record<string, string> = {
  generation: "Generate",
  processing: "Process",
  asset: "Assets",
  control: "Control",
};

export default function Palette(
  props: { session: ProjectSession; canvasCentre: () => { x: number; y: number } },
) {
  const [filter, setFilter] = createSignal("");
  const all = Object.values(NODE_TYPES);
  const matches = (def: NodeTypeDef) => {
    const q = filter().trim().toLowerCase();
    return q === "" || def.title.toLowerCase().includes(q) || def.type.includes(q) ||
      def.description.toLowerCase().includes(q);
  };
  return (
    <aside class="palette" aria-label="Node palette" data-testid="palette">
      <input
        class="palette-filter"
        type="search"
        placeholder="Find a node…"
        value={filter()}
        onInput={(e) => setFilter(e.currentTarget.value)}
        data-testid="palette-filter"
      />
      <For each={NODE_CATEGORIES}>
        {(category) => {
          const defs = () => all.filter((d) => d.category === category && matches(d));
          return (
            <Show when={defs().length > 0}>
              <section class="palette-group">
                <h3>{CATEGORY_TITLES[category] ?? category}</h3>
                <For each={defs()}>
                  {(def) => (
                    <button
                      type="button"
                      class={`palette-item cat-${def.category}`}
                      draggable={!props.session.readOnly()}
                      disabled={props.session.readOnly()}
                      title={def.description}
                      data-testid={`palette-${def.type}`}
                      onDragStart={(e) => {
                        e.dataTransfer?.setData(NODE_DRAG_TYPE, JSON.stringify({ type: def.type }));
                        if (e.dataTransfer) e.dataTransfer.effectAllowed = "copy";
                      }}
                      onClick={() => props.session.engine.place(def.type, props.canvasCentre())}
                    >
                      <span class="palette-dot" aria-hidden="true" />
                      <span class="palette-title">{def.title}</span>
                      <span class="palette-io muted">
                        {def.inputs.length}→{def.outputs.length}
                      </span>
                    </button>
                  )}
                </For>
              </section>
            </Show>
          );
        }}
      </For>
    </aside>
  );
}
