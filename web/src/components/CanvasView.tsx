/**
 * The canvas element: forwards pointer, wheel, key and drop input to the engine and draws the
 * graph in one transformed layer (panning and zooming change a single CSS transform; dragging
 * re-renders only the moved nodes and their edges).
 */
import { createMemo, For, onCleanup, onMount, Show } from "solid-js";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { worldToScreen } from "../canvas/viewport.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import Cursors from "./Cursors.tsx";
import EdgeLayer from "./EdgeLayer.tsx";
import NodeCard from "./NodeCard.tsx";

/** The drag type the palette and the asset library use. */
export const NODE_DRAG_TYPE = "application/x-movie-director-node";

function _local(el: HTMLElement, e: { clientX: number; clientY: number }) {
  const r = el.getBoundingClientRect();
  return { x: e.clientX - r.left, y: e.clientY - r.top };
}

/** Controls inside nodes (buttons, selects, media) handle their own pointer input. */
function _isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("[data-ui]") !== null;
}

function _isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function _inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("[role=dialog]") !== null;
}

export default function CanvasView(props: { session: ProjectSession }) {
  const s = props.session;
  const engine = s.engine;
  let el!: HTMLDivElement;
  let space = false;
  const nodeIds = createMemo(() => Object.keys(s.graph.nodes));
  const view = () => s.view.viewport();

  onMount(() => {
    const resize = new ResizeObserver(() => engine.setScreenSize(el.clientWidth, el.clientHeight));
    resize.observe(el);
    // Wheel must be non-passive to stop the page from scrolling or zooming itself.
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      engine.wheel(_local(el, e), e);
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

  // A dot grid that pans and zooms with the world, drawn by the background alone.
  const grid = () => {
    const v = view();
    const size = 24 * v.zoom;
    return { "background-size": `${size}px ${size}px`, "background-position": `${v.x}px ${v.y}px` };
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
        // No compatibility mousedown: it would focus (and so select) the node under a socket.
        e.preventDefault();
        el.focus({ preventScroll: true });
        el.setPointerCapture(e.pointerId);
        engine.pointerDown(_local(el, e), {
          button: e.button,
          shiftKey: e.shiftKey,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          spaceKey: space,
        });
      }}
      onPointerMove={(e) => {
        const p = _local(el, e);
        engine.pointerMove(p);
        const v = view();
        s.moveCursor((p.x - v.x) / v.zoom, (p.y - v.y) / v.zoom);
      }}
      onPointerUp={(e) => engine.pointerUp(_local(el, e))}
      onPointerCancel={() => engine.pointerCancel()}
      onLostPointerCapture={() => {
        if (s.view.gesture() !== "idle") engine.pointerCancel();
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
        const id = engine.place(type, _local(el, e));
        if (id && params) engine.edit([{ type: "node.update", id, set: { params } }]);
      }}
    >
      <div class="canvas-grid" style={grid()} />
      <div
        class="world"
        style={{ transform: `translate(${view().x}px, ${view().y}px) scale(${view().zoom})` }}
      >
        <EdgeLayer session={s} />
        <For each={nodeIds()}>{(id) => <NodeCard session={s} id={id} />}</For>
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
        <span class="zoom-value" data-testid="zoom-value">{Math.round(view().zoom * 100)}%</span>
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
