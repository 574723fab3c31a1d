/**
 * Viewport math: the camera over the infinite canvas. A world point `w` appears on screen at
 * `w * zoom + offset`; panning moves the offset, zooming keeps the point under the cursor fixed.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Viewport {
  /** Screen position of the world origin, in CSS pixels. */
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

export function screenToWorld(view: Viewport, p: Point): Point {
  return { x: (p.x - view.x) / view.zoom, y: (p.y - view.y) / view.zoom };
}

export function worldToScreen(view: Viewport, p: Point): Point {
  return { x: p.x * view.zoom + view.x, y: p.y * view.zoom + view.y };
}

export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}

/** Multiplies the zoom by `factor`, keeping the world point under screen point `at` in place. */
export function zoomAt(view: Viewport, at: Point, factor: number): Viewport {
  const zoom = clampZoom(view.zoom * factor);
  const world = screenToWorld(view, at);
  return { x: at.x - world.x * zoom, y: at.y - world.y * zoom, zoom };
}

/**
 * The zoom factor for one wheel event. Trackpad pinches arrive as small ctrl+wheel deltas and
 * mouse wheels as large ones; an exponential keeps both smooth and symmetric (in then out
 * by the same delta returns to the same zoom).
 */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-Math.max(-100, Math.min(100, deltaY)) * 0.01);
}

/** A viewport that shows all of `bounds` inside a `screen`-sized area with `margin` pixels. */
export function fitBounds(bounds: Rect, screen: { w: number; h: number }, margin = 48): Viewport {
  if (bounds.w <= 0 || bounds.h <= 0) return { x: screen.w / 2, y: screen.h / 2, zoom: 1 };
  const zoom = clampZoom(
    Math.min((screen.w - 2 * margin) / bounds.w, (screen.h - 2 * margin) / bounds.h, 1),
  );
  return {
    x: screen.w / 2 - (bounds.x + bounds.w / 2) * zoom,
    y: screen.h / 2 - (bounds.y + bounds.h / 2) * zoom,
    zoom,
  };
}

/** The world rectangle visible through a `screen`-sized viewport. */
export function visibleWorld(view: Viewport, screen: { w: number; h: number }): Rect {
  const topLeft = screenToWorld(view, { x: 0, y: 0 });
  return { x: topLeft.x, y: topLeft.y, w: screen.w / view.zoom, h: screen.h / view.zoom };
}

/**
 * The world rectangle in which cards are drawn in full: what is visible plus about half a screen
 * on every side, snapped outward to half-screen steps, so that it changes once per half screen
 * of panning rather than on every step (each change restyles the cards that cross its edge).
 */
export function detailRegion(view: Viewport, screen: { w: number; h: number }): Rect {
  const seen = visibleWorld(view, screen);
  const cw = seen.w / 2 || 1, ch = seen.h / 2 || 1;
  const x0 = Math.floor((seen.x - cw) / cw) * cw;
  const y0 = Math.floor((seen.y - ch) / ch) * ch;
  const x1 = Math.ceil((seen.x + seen.w + cw) / cw) * cw;
  const y1 = Math.ceil((seen.y + seen.h + ch) / ch) * ch;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** A rectangle spanning two corners given in any order. */
export function rectFromCorners(a: Point, b: Point): Rect {
  return {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    w: Math.abs(a.x - b.x),
    h: Math.abs(a.y - b.y),
  };
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

export function rectContains(r: Rect, p: Point): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

/** The smallest rectangle holding all of `rects`, or null for none. */
export function unionRects(rects: Iterable<Rect>): Rect | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.w);
    maxY = Math.max(maxY, r.y + r.h);
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}
