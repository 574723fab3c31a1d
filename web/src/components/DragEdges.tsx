/**
 * The edges that change during a drag (those touching a carried node, canvas/carry.ts), drawn
 * on a 2D canvas under the world layer for as long as the drag lasts; their SVG paths are
 * hidden meanwhile. Redrawing a canvas is a new picture for one layer; moving an SVG path
 * changes its paint bounds, which makes Chromium re-layerize the whole page on every step.
 */
import { createEffect, onCleanup } from "solid-js";
import { carriedPosition } from "../canvas/carry.ts";
import { edgeCurve, edgeSocketType, socketPosition } from "../canvas/layout.ts";
import type { ProjectSession } from "../stores/project_session.ts";

export default function DragEdges(
  props: { session: ProjectSession; size: () => { w: number; h: number } },
) {
  const s = props.session;
  let canvas!: HTMLCanvasElement;
  const colours = new Map<string, string>();
  const colour = (type: string) => {
    let c = colours.get(type);
    if (!c) {
      c = getComputedStyle(canvas).getPropertyValue(`--t-${type}`).trim() || "#8a8f98";
      colours.set(type, c);
    }
    return c;
  };
  let drawing = false;

  createEffect(() => {
    const carry = s.view.carry();
    const drag = s.view.drag();
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    if (!carry || !drag || carry.edges.size === 0) {
      // Idle: no pixels kept.
      if (drawing) canvas.width = canvas.height = 0;
      drawing = false;
      return;
    }
    const { w, h } = props.size();
    const dpr = globalThis.devicePixelRatio || 1;
    const pw = Math.round(w * dpr), ph = Math.round(h * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    } else {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, pw, ph);
    }
    drawing = true;
    const v = s.view.viewport();
    ctx.setTransform(dpr * v.zoom, 0, 0, dpr * v.zoom, dpr * v.x, dpr * v.y);
    ctx.lineWidth = 2;
    ctx.globalAlpha = 0.85;
    // One path per colour: a stroke call per socket type, not per edge.
    const paths = new Map<string, Path2D>();
    const nodes = s.graph.nodes;
    for (const id of carry.edges) {
      const e = s.graph.edges[id];
      const from = e && nodes[e.from.node];
      const to = e && nodes[e.to.node];
      if (!e || !from || !to) continue;
      const fromAt = carriedPosition(carry, from.id, from, drag);
      const toAt = carriedPosition(carry, to.id, to, drag);
      const a = socketPosition({ type: from.type, ...fromAt }, "output", e.from.socket);
      const b = socketPosition({ type: to.type, ...toAt }, "input", e.to.socket);
      if (!a || !b) continue;
      const type = edgeSocketType(from.type, e.from.socket);
      let path = paths.get(type);
      if (!path) paths.set(type, path = new Path2D());
      const [p0, p1, p2, p3] = edgeCurve(a, b);
      path.moveTo(p0.x, p0.y);
      path.bezierCurveTo(p1.x, p1.y, p2.x, p2.y, p3.x, p3.y);
    }
    for (const [type, path] of paths) {
      ctx.strokeStyle = colour(type);
      ctx.stroke(path);
    }
  });
  onCleanup(() => canvas.width = canvas.height = 0);

  return <canvas ref={canvas} class="drag-edges" width="0" height="0" aria-hidden="true" />;
}
