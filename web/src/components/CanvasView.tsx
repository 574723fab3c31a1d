/**
 * The canvas element: forwards pointer, wheel, key and drop input to the engine and draws the
 * graph in one transformed layer (panning and zooming change a single transform, moved on the
 * compositor; dragging re-renders only the moved nodes and their edges). Pointer moves are
 * handled once per animation frame, the latest one winning.
 */
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import {
  detailRegion,
  MAX_ZOOM,
  type Point,
  type Rect,
  worldToScreen,
} from "../canvas/viewport.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { CompositedMotion } from "./compositor.ts";
import CanvasMenu, { type MenuAt } from "./CanvasMenu.tsx";
import Cursors from "./Cursors.tsx";
import DragEdges from "./DragEdges.tsx";
import EdgeLayer from "./EdgeLayer.tsx";
import NodeCard from "./NodeCard.tsx";

/** The drag type the palette and the asset library use. */
export const NODE_DRAG_TYPE = "application/x-movie-director-node";

/** A touch held this long without moving opens the context menu. */
const LONG_PRESS_MS = 500;

/** Grid dots are this far apart in world units. */
const GRID = 24;
/** The grid layer overhangs the canvas by the largest grid step (at the largest zoom). */
const GRID_OVERHANG = GRID * MAX_ZOOM;

const _mod = (a: number, n: number) => ((a % n) + n) % n;

/**
 * Below this zoom all cards are drawn light, leaving out what cannot be read or hit at that
 * size (socket names, run controls, the takes strip): a 12 px label is under 6 px there. A
 * fitted 300-node canvas sits near 13 %, and every part left out is paint and layerization
 * work on every frame. Above it, cards well off screen are drawn light (`detailRegion`).
 */
const FAR_ZOOM = 0.5;

const _sameRect = (a: Rect | null, b: Rect | null) =>
  a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);

/** Controls inside nodes (buttons, selects, media) handle their own pointer input. */
function _isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("[data-ui]") !== null;
}

function _isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** A key pressed in a dialog, or while a modal one (the take viewer) covers the canvas. */
function _inDialog(target: EventTarget | null): boolean {
  return (target instanceof Element && target.closest("[role=dialog]") !== null) ||
    document.querySelector("[role=dialog][aria-modal=true]") !== null;
}

export default function CanvasView(props: { session: ProjectSession }) {
  const s = props.session;
  const engine = s.engine;
  let el!: HTMLDivElement;
  let worldEl!: HTMLDivElement;
  let gridEl!: HTMLDivElement;
  let space = false;
  const nodeIds = createMemo(() => Object.keys(s.graph.nodes));
  const view = () => s.view.viewport();
  const zoom = createMemo(() => view().zoom);
  const [screen, setScreen] = createSignal({ w: 0, h: 0 });
  const [menu, setMenu] = createSignal<MenuAt | null>(null);
  /** Opens the context menu at canvas point `p`, on the node there (selected, if it was not). */
  const openMenu = (p: Point) => {
    const node = engine.nodeAt(p);
    if (node && !engine.state.selection.has(node)) engine.select([node]);
    setMenu({ screen: p, node });
  };
  // A long press on a touch screen opens the menu, as a right click does (not every touch
  // browser sends `contextmenu` for one).
  let longPress = 0;
  let pressedAt: Point | null = null;
  const endLongPress = () => {
    clearTimeout(longPress);
    pressedAt = null;
  };
  /** Where cards are drawn in full; null: nowhere (zoomed far out). */
  const region = createMemo(
    () => zoom() < FAR_ZOOM ? null : detailRegion(view(), screen()),
    null,
    { equals: _sameRect },
  );

  // The canvas's corner on the page, read when the layout may have moved it (a resize, a new
  // gesture), not on every pointer move: reading it after the last frame's style writes would
  // force a layout.
  let origin: Point | null = null;
  const local = (e: { clientX: number; clientY: number }): Point => {
    if (!origin) {
      const r = el.getBoundingClientRect();
      origin = { x: r.left, y: r.top };
    }
    return { x: e.clientX - origin.x, y: e.clientY - origin.y };
  };

  // Pointer moves are coalesced: the latest one is handed to the engine in the next animation
  // frame (before style and layout), and a press or release hands over a pending one first.
  let pendingMove: Point | null = null;
  let moveFrame = 0;
  const flushMove = () => {
    if (moveFrame) cancelAnimationFrame(moveFrame);
    moveFrame = 0;
    const p = pendingMove;
    pendingMove = null;
    if (!p) return;
    engine.pointerMove(p);
    const v = view();
    s.moveCursor((p.x - v.x) / v.zoom, (p.y - v.y) / v.zoom);
  };

  onMount(() => {
    // Pan and zoom: one transform on the world, the grid moved by less than one grid step.
    const world = new CompositedMotion(worldEl, "transform");
    const grid = new CompositedMotion(gridEl, "transform");
    createEffect(() => {
      const v = view();
      // A drag of most of the graph moves the world itself (canvas/carry.ts).
      const w = s.view.worldOffset();
      const x = v.x + (w ? w.x * v.zoom : 0), y = v.y + (w ? w.y * v.zoom : 0);
      world.set(`translate(${x}px, ${y}px) scale(${v.zoom})`);
    });
    createEffect(() => {
      const v = view();
      const step = GRID * v.zoom;
      const x = _mod(v.x + GRID_OVERHANG, step), y = _mod(v.y + GRID_OVERHANG, step);
      grid.set(`translate(${x}px, ${y}px)`);
    });
    createEffect(() => {
      const step = GRID * zoom();
      gridEl.style.backgroundSize = `${step}px ${step}px`;
    });
    const resize = new ResizeObserver(() => {
      origin = null;
      engine.setScreenSize(el.clientWidth, el.clientHeight);
      setScreen({ w: el.clientWidth, h: el.clientHeight });
    });
    resize.observe(el);
    // Wheel must be non-passive to stop the page from scrolling or zooming itself.
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      engine.wheel(local(e), e);
    };
    el.addEventListener("wheel", wheel, { passive: false });
    // Shortcuts work wherever focus is (after a palette click, say), except while typing,
    // in a dialog, or where Space/Enter would press the focused button.
    const keyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || _isTyping(e.target) || _inDialog(e.target)) return;
      const onControl = e.target instanceof Element && e.target !== el &&
        e.target.closest("button, a, select");
      if (e.code === "Space") {
        if (onControl) return;
        space = true;
        e.preventDefault();
        return;
      }
      if (onControl && e.key === "Enter") return;
      if (engine.key(e)) e.preventDefault();
    };
    const keyUp = (e: KeyboardEvent) => {
      if (e.code === "Space") space = false;
    };
    addEventListener("keydown", keyDown);
    addEventListener("keyup", keyUp);
    onCleanup(() => {
      endLongPress();
      if (moveFrame) cancelAnimationFrame(moveFrame);
      resize.disconnect();
      el.removeEventListener("wheel", wheel);
      removeEventListener("keydown", keyDown);
      removeEventListener("keyup", keyUp);
    });
  });

  const marquee = () => {
    const m = s.view.marquee();
    if (!m) return null;
    const a = worldToScreen(view(), m);
    return {
      left: `${a.x}px`,
      top: `${a.y}px`,
      width: `${m.w * view().zoom}px`,
      height: `${m.h * view().zoom}px`,
    };
  };

  return (
    <div
      ref={el}
      class="canvas"
      classList={{
        "is-panning": s.view.gesture() === "pan",
        "is-connecting": s.view.gesture() === "connect",
        "is-readonly": s.readOnly(),
      }}
      tabindex="0"
      role="application"
      aria-label="Film graph canvas"
      data-testid="canvas"
      onPointerDown={(e) => {
        if (_isControl(e.target)) return;
        endLongPress();
        if (e.pointerType === "touch" && e.isPrimary) {
          const at = (pressedAt = local(e));
          longPress = Number(setTimeout(() => {
            pressedAt = null;
            engine.pointerCancel();
            openMenu(at);
          }, LONG_PRESS_MS));
        }
        // No compatibility mousedown: it would focus (and so select) the node under a socket.
        e.preventDefault();
        el.focus({ preventScroll: true });
        el.setPointerCapture(e.pointerId);
        origin = null;
        flushMove();
        engine.pointerDown(local(e), {
          button: e.button,
          shiftKey: e.shiftKey,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          spaceKey: space,
        });
      }}
      onPointerMove={(e) => {
        pendingMove = local(e);
        if (pressedAt && Math.hypot(pendingMove.x - pressedAt.x, pendingMove.y - pressedAt.y) > 8) {
          endLongPress();
        }
        moveFrame ||= requestAnimationFrame(flushMove);
      }}
      onPointerUp={(e) => {
        endLongPress();
        flushMove();
        engine.pointerUp(local(e));
      }}
      onPointerCancel={() => {
        endLongPress();
        pendingMove = null;
        flushMove();
        engine.pointerCancel();
      }}
      onLostPointerCapture={() => {
        if (s.view.gesture() !== "idle") engine.pointerCancel();
      }}
      onContextMenu={(e) => {
        if (_isTyping(e.target) || _isControl(e.target)) return;
        e.preventDefault();
        endLongPress();
        origin = null;
        openMenu(local(e));
      }}
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes(NODE_DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const raw = e.dataTransfer?.getData(NODE_DRAG_TYPE);
        if (!raw) return;
        e.preventDefault();
        const { type, params } = JSON.parse(raw) as {
          type: string;
          params?: Record<string, unknown>;
        };
        if (!NODE_TYPES[type]) return;
        origin = null;
        const id = engine.place(type, local(e));
        if (id && params) engine.edit([{ type: "node.update", id, set: { params } }]);
      }}
    >
      <div ref={gridEl} class="canvas-grid" style={{ inset: `-${GRID_OVERHANG}px` }} />
      <DragEdges session={s} size={screen} />
      <div ref={worldEl} class="world">
        <EdgeLayer session={s} />
        <For each={nodeIds()}>{(id) => <NodeCard session={s} id={id} region={region} />}</For>
      </div>
      <Show when={marquee()}>
        {(style) => <div class="marquee" style={style()} data-testid="marquee" />}
      </Show>
      <Show when={s.view.wire()?.check?.ok === false ? s.view.wire() : null}>
        {(wire) => {
          const at = () => worldToScreen(view(), wire().end);
          return (
            <div
              class="wire-refusal"
              style={{ left: `${at().x + 14}px`, top: `${at().y + 14}px` }}
              data-testid="wire-refusal"
            >
              {(wire().check as { reason: string }).reason}
            </div>
          );
        }}
      </Show>
      <Cursors session={s} />
      <Show when={menu()}>
        {(at) => <CanvasMenu session={s} at={at()} size={screen()} close={() => setMenu(null)} />}
      </Show>
      <Show when={nodeIds().length === 0}>
        <div class="canvas-empty" data-testid="canvas-empty">
          {s.readOnly()
            ? "Nothing on this canvas yet."
            : "Drag a node from the palette, or pick one and press Enter, to start."}
        </div>
      </Show>
      <div class="zoom-controls" data-ui>
        <button
          type="button"
          class="ghost"
          title="Zoom out (−)"
          onClick={() => engine.run({ kind: "zoomOut" })}
          data-testid="zoom-out"
        >
          −
        </button>
        <span class="zoom-value" data-testid="zoom-value">{Math.round(zoom() * 100)}%</span>
        <button
          type="button"
          class="ghost"
          title="Zoom in (+)"
          onClick={() => engine.run({ kind: "zoomIn" })}
          data-testid="zoom-in"
        >
          +
        </button>
        <button
          type="button"
          class="ghost"
          title="Fit (F)"
          onClick={() => engine.run({ kind: "fit" })}
          data-testid="zoom-fit"
        >
          Fit
        </button>
      </div>
    </div>
  );
}
