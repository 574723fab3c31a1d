import assert from "node:assert/strict";
import {
  detailRegion,
  fitBounds,
  MAX_ZOOM,
  MIN_ZOOM,
  panBy,
  rectFromCorners,
  screenToWorld,
  visibleWorld,
  wheelZoomFactor,
  worldToScreen,
  zoomAt,
} from "./viewport.ts";

Deno.test("screenToWorld and worldToScreen are inverses at any pan and zoom", () => {
  const view = { x: 130, y: -42, zoom: 1.7 };
  const p = { x: 321, y: 77 };
  const back = worldToScreen(view, screenToWorld(view, p));
  assert.ok(Math.abs(back.x - p.x) < 1e-9 && Math.abs(back.y - p.y) < 1e-9);
});

Deno.test("zoomAt keeps the world point under the cursor fixed", () => {
  const view = { x: 50, y: 20, zoom: 1 };
  const cursor = { x: 400, y: 300 };
  const before = screenToWorld(view, cursor);
  const zoomed = zoomAt(view, cursor, 2);
  assert.equal(zoomed.zoom, 2);
  const after = screenToWorld(zoomed, cursor);
  assert.ok(Math.abs(after.x - before.x) < 1e-9 && Math.abs(after.y - before.y) < 1e-9);
});

Deno.test("zoom is clamped to the supported range", () => {
  assert.equal(zoomAt({ x: 0, y: 0, zoom: 1 }, { x: 0, y: 0 }, 1000).zoom, MAX_ZOOM);
  assert.equal(zoomAt({ x: 0, y: 0, zoom: 1 }, { x: 0, y: 0 }, 0.0001).zoom, MIN_ZOOM);
});

Deno.test("wheel zoom in then out by the same delta returns to the same zoom", () => {
  const f = wheelZoomFactor(-30) * wheelZoomFactor(30);
  assert.ok(Math.abs(f - 1) < 1e-12);
  assert.ok(wheelZoomFactor(-100) > 1, "scrolling up zooms in");
});

Deno.test("panBy moves the view by screen pixels", () => {
  assert.deepEqual(panBy({ x: 1, y: 2, zoom: 3 }, 10, -5), { x: 11, y: -3, zoom: 3 });
});

Deno.test("fitBounds shows the whole rectangle inside the screen", () => {
  const screen = { w: 1280, h: 800 };
  const bounds = { x: -500, y: 200, w: 3000, h: 900 };
  const view = fitBounds(bounds, screen);
  const visible = visibleWorld(view, screen);
  assert.ok(visible.x <= bounds.x && visible.y <= bounds.y);
  assert.ok(
    visible.x + visible.w >= bounds.x + bounds.w && visible.y + visible.h >= bounds.y + bounds.h,
  );
  assert.ok(
    fitBounds({ x: 0, y: 0, w: 10, h: 10 }, screen).zoom <= 1,
    "small graphs are not blown up",
  );
});

Deno.test("rectFromCorners accepts corners in any order", () => {
  assert.deepEqual(rectFromCorners({ x: 10, y: 0 }, { x: 0, y: 20 }), { x: 0, y: 0, w: 10, h: 20 });
});

Deno.test("detailRegion covers the screen and more, and stays put for small pans", () => {
  const screen = { w: 800, h: 600 };
  const view = { x: -130, y: 40, zoom: 1 };
  const region = detailRegion(view, screen);
  const seen = visibleWorld(view, screen);
  assert.ok(region.x <= seen.x - 400 && region.y <= seen.y - 300, "half a screen to the left, up");
  assert.ok(region.x + region.w >= seen.x + seen.w + 400, "and to the right");
  assert.ok(region.y + region.h >= seen.y + seen.h + 300, "and down");
  assert.deepEqual(detailRegion(panBy(view, -30, 20), screen), region, "a small pan: same");
  assert.notDeepEqual(detailRegion(panBy(view, -500, 0), screen), region, "a long pan: moved");
});
