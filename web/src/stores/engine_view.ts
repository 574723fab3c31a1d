/**
 * Binds the engine's state to fine-grained Solid signals. The engine emits a new state on
 * every pointer move; splitting it means a pan re-renders only the world transform, a hover
 * only the hovered node, and a selection change only the nodes whose selection flipped,
 * instead of all 300 nodes and 400 edges each frame. A drag is one offset (`drag`), drawn as
 * canvas/carry.ts plans it when the drag starts: the smaller side (the dragged nodes, or the
 * nodes left behind while the world moves) follows the offset, and only the edges touching it
 * are redrawn.
 */
import { createMemo, createSelector, createSignal, untrack } from "solid-js";
import { createStore, produce } from "solid-js/store";
import type { Graph } from "../../../protocol/graph.ts";
import { type Carry, planCarry } from "../canvas/carry.ts";
import type { CanvasEngine, EngineState } from "../canvas/engine.ts";
import type { Point, Viewport } from "../canvas/viewport.ts";

const sameViewport = (a: Viewport, b: Viewport) => a.x === b.x && a.y === b.y && a.zoom === b.zoom;

export function bindEngineView(
  engine: CanvasEngine,
  onSelection: (ids: string[]) => void,
  graph: () => Graph,
) {
  const s0 = engine.state;
  const [viewport, setViewport] = createSignal(s0.viewport, { equals: sameViewport });
  const [gesture, setGesture] = createSignal(s0.gesture);
  const [drag, setDrag] = createSignal(s0.drag, {
    equals: (a, b) => a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y),
  });
  const [marquee, setMarquee] = createSignal(s0.marquee);
  const [wire, setWire] = createSignal(s0.wire);
  const [hover, setHover] = createSignal(s0.hover);
  const [selectedEdge, setSelectedEdge] = createSignal(s0.selectedEdge);
  const [canUndo, setCanUndo] = createSignal(s0.canUndo);
  const [canRedo, setCanRedo] = createSignal(s0.canRedo);
  // The carry plan asks "is a drag on?" once per drag, not once per step.
  const dragging = createMemo(() => drag() !== null);
  const [selectionList, setSelectionList] = createSignal<string[]>([...s0.selection]);
  const [selected, setSelected] = createStore<Record<string, boolean>>({});
  let current: ReadonlySet<string> = new Set();

  const hoverNode = createSelector(() => {
    const h = hover();
    return h.kind === "socket" ? h.node : null;
  });
  const isEdgeSelected = createSelector(selectedEdge);

  function update(state: EngineState): void {
    setViewport(state.viewport);
    setGesture(state.gesture);
    setDrag(state.drag);
    setMarquee(state.marquee);
    setWire(state.wire);
    setHover(state.hover);
    setSelectedEdge(state.selectedEdge);
    setCanUndo(state.canUndo);
    setCanRedo(state.canRedo);
    const next = state.selection;
    const changed = next.size !== current.size || [...next].some((id) => !current.has(id));
    if (!changed) return;
    const previous = current;
    current = next;
    setSelected(produce((map) => {
      for (const id of previous) if (!next.has(id)) delete map[id];
      for (const id of next) map[id] = true;
    }));
    const list = [...next];
    setSelectionList(list);
    onSelection(list);
  }
  engine.subscribe(update);

  // Planned once per drag (the selection cannot change during one).
  const carry = createMemo<Carry | null>(() =>
    dragging() ? planCarry(graph(), untrack(() => engine.state.selection)) : null
  );
  const carriedOffset = (): Point | null => {
    const c = carry(), d = drag();
    return c && d ? { x: c.sign * d.x, y: c.sign * d.y } : null;
  };
  const worldOffset = (): Point | null => {
    const c = carry();
    return c?.sign === -1 ? drag() : null;
  };

  return {
    viewport,
    gesture,
    /** How far the selection is being dragged (world units), or null. */
    drag,
    marquee,
    wire,
    selectedEdge,
    canUndo,
    canRedo,
    /** How the drag in progress is drawn (canvas/carry.ts), or null. */
    carry,
    /** The offset of the carried nodes (world units) during a drag, or null. */
    carriedOffset,
    /** How far the world layer is moved during a drag that carries the others back, or null. */
    worldOffset,
    /** Selected node ids, in selection order. */
    selection: selectionList,
    isSelected: (id: string) => selected[id] === true,
    isEdgeSelected,
    /** `side:socket` of the hovered socket when it belongs to node `id`, else null. */
    hoverSocket(id: string): string | null {
      if (!hoverNode(id)) return null;
      const h = hover();
      return h.kind === "socket" ? `${h.side}:${h.socket}` : null;
    },
  };
}

export type EngineView = ReturnType<typeof bindEngineView>;
