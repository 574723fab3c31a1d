/**
 * The canvas's context menu (right click, or a long press on a touch screen). On empty canvas:
 * add a node right there (type to filter, Enter adds the first), or fit the view. On a node:
 * open its takes, and for editors generate, duplicate or delete. Marked `data-ui` so pressing it
 * does not start a canvas gesture.
 */
import { createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js";
import { isExecutable, nodeType } from "../../../protocol/nodes.ts";
import type { Point } from "../canvas/viewport.ts";
import { matchingTypes, typeTooltip } from "../format/node_types.ts";
import type { ProjectSession } from "../stores/project_session.ts";

/** Where the menu was opened (canvas pixels) and the node there, if any. */
export interface MenuAt {
  screen: Point;
  node: string | null;
}

/** The menu's width (styles.css) and most height, for keeping it on screen. */
const WIDTH = 220;
const MAX_HEIGHT = 320;

export default function CanvasMenu(
  props: { session: ProjectSession; at: MenuAt; size: { w: number; h: number }; close(): void },
) {
  const s = props.session;
  const [filter, setFilter] = createSignal("");
  let el!: HTMLDivElement;
  const done = (action: () => void) => () => {
    action();
    props.close();
  };
  const add = (type: string) => s.engine.place(type, props.at.screen);
  const Item = (item: { testId: string; run(): void; class?: string; children: JSX.Element }) => (
    <button
      type="button"
      role="menuitem"
      class={item.class}
      onClick={done(item.run)}
      data-testid={item.testId}
    >
      {item.children}
    </button>
  );
  const def = () => nodeType(s.graph.nodes[props.at.node ?? ""]?.type ?? "");
  const left = () => Math.max(0, Math.min(props.at.screen.x, props.size.w - WIDTH));
  const top = () => Math.max(0, Math.min(props.at.screen.y, props.size.h - MAX_HEIGHT));

  onMount(() => {
    // A press anywhere else, or Escape, closes it.
    const outside = (e: PointerEvent) => {
      if (!el.contains(e.target as Node)) props.close();
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === "Escape") props.close();
    };
    // A long press opens the menu under the finger, and lifting it then "clicks" whatever item
    // is there: only clicks that started in the menu (or come from the keyboard) count.
    let pressed = false;
    const press = () => (pressed = true);
    const guard = (e: MouseEvent) => {
      if (pressed || e.detail === 0) return;
      e.preventDefault();
      e.stopPropagation();
    };
    el.addEventListener("pointerdown", press);
    el.addEventListener("click", guard, true);
    document.addEventListener("pointerdown", outside, true);
    document.addEventListener("keydown", escape, true);
    onCleanup(() => {
      document.removeEventListener("pointerdown", outside, true);
      document.removeEventListener("keydown", escape, true);
    });
    el.querySelector<HTMLElement>("input, button")?.focus();
  });

  return (
    <div
      ref={el}
      class="context-menu"
      role="menu"
      style={{ left: `${left()}px`, top: `${top()}px` }}
      data-ui
      data-testid="context-menu"
      onContextMenu={(e) => e.preventDefault()}
    >
      <Show
        when={props.at.node}
        fallback={
          <>
            <Show when={!s.readOnly()}>
              <input
                class="context-menu-filter"
                type="search"
                placeholder="Add a node here…"
                value={filter()}
                onInput={(e) => setFilter(e.currentTarget.value)}
                onKeyDown={(e) => {
                  const first = matchingTypes(filter())[0];
                  if (e.key === "Enter" && first) done(() => add(first.type))();
                }}
                data-testid="menu-filter"
              />
              <div class="context-menu-types">
                <For each={matchingTypes(filter())}>
                  {(t) => (
                    <button
                      type="button"
                      role="menuitem"
                      class={`cat-${t.category}`}
                      title={typeTooltip(t)}
                      onClick={done(() => add(t.type))}
                      data-testid={`menu-add-${t.type}`}
                    >
                      <span class="palette-dot" aria-hidden="true" /> {t.title}
                    </button>
                  )}
                </For>
              </div>
            </Show>
            <Item testId="menu-fit" run={() => s.engine.run({ kind: "fit" })}>
              Fit the view to the graph
            </Item>
          </>
        }
      >
        {(id) => (
          <>
            <Item
              testId="menu-open-takes"
              run={() =>
                (s.runs[id()]?.takes.length ?? 0) > 0 ? s.openTakes(id()) : s.revealTakes(id())}
            >
              Open takes
            </Item>
            <Show when={!s.readOnly()}>
              <Show when={def() && isExecutable(def()!)}>
                <Item testId="menu-generate" run={() => void s.generate(id())}>Generate</Item>
              </Show>
              <Item testId="menu-duplicate" run={() => s.engine.run({ kind: "duplicate" })}>
                Duplicate <span class="muted">Ctrl+D</span>
              </Item>
              <Item
                testId="menu-delete"
                class="danger"
                run={() => s.engine.run({ kind: "delete" })}
              >
                Delete <span class="muted">Del</span>
              </Item>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
