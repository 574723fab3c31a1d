/**
 * The node catalog by category. Drag an item onto the canvas to place it there; activate it
 * (click, Enter) to add it in free room near the middle of the view; Enter in the filter adds
 * the first match.
 */
import { createSignal, For, Show } from "solid-js";
import { NODE_CATEGORIES } from "../../../protocol/nodes.ts";
import { CATEGORY_TITLES, matchingTypes, typeTooltip } from "../format/node_types.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { NODE_DRAG_TYPE } from "./CanvasView.tsx";

export default function Palette(props: { session: ProjectSession }) {
  const [filter, setFilter] = createSignal("");
  const add = (type: string) => props.session.engine.placeInView(type);
  return (
    <aside class="palette" aria-label="Node palette" data-testid="palette">
      <input
        class="palette-filter"
        type="search"
        placeholder="Find a node… (Enter adds)"
        value={filter()}
        onInput={(e) => setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          const first = matchingTypes(filter())[0];
          if (first && !props.session.readOnly()) add(first.type);
        }}
        data-testid="palette-filter"
      />
      <For each={NODE_CATEGORIES}>
        {(category) => {
          const defs = () => matchingTypes(filter()).filter((d) => d.category === category);
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
                      title={typeTooltip(def)}
                      data-testid={`palette-${def.type}`}
                      onDragStart={(e) => {
                        e.dataTransfer?.setData(NODE_DRAG_TYPE, JSON.stringify({ type: def.type }));
                        if (e.dataTransfer) e.dataTransfer.effectAllowed = "copy";
                      }}
                      onClick={() => add(def.type)}
                    >
                      <span class="palette-dot" aria-hidden="true" />
                      <span class="palette-title">{def.title}</span>
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
