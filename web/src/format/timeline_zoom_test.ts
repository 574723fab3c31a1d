import assert from "node:assert/strict";
import { MAX_SCALE, MIN_SCALE, rulerTicks, zoomAround } from "./timeline_zoom.ts";

Deno.test("zooming keeps the frame under the anchor where it was on screen", () => {
  // Frame 60 sits 120 px in at 2 px a frame; at 4 px it is 240 px in, so 120 px are scrolled.
  assert.deepEqual(zoomAround({ scale: 2, scroll: 0 }, 2, 120), { scale: 4, scroll: 120 });
  const scrolled = zoomAround({ scale: 4, scroll: 300 }, 1.5, 200);
  assert.equal((scrolled.scroll + 200) / scrolled.scale, (300 + 200) / 4);
  // Out as far as the film's start allows: never scrolled before frame 0.
  assert.deepEqual(zoomAround({ scale: 4, scroll: 40 }, 0.25, 100), { scale: 1, scroll: 0 });
  assert.equal(zoomAround({ scale: 2, scroll: 0 }, 1e6, 0).scale, MAX_SCALE);
  assert.equal(zoomAround({ scale: 2, scroll: 0 }, 1e-6, 0).scale, MIN_SCALE);
});

Deno.test("the scale labels whole steps, far enough apart to read", () => {
  // 2 px a frame at 24 fps: a second is 48 px, two seconds 96 px.
  assert.deepEqual(rulerTicks(2, 24, 0, 250), [0, 48, 96, 144, 192, 240]);
  // Zoomed in: every 12 frames; only the visible stretch.
  assert.deepEqual(rulerTicks(8, 24, 100, 160), [108, 120, 132, 144, 156]);
  // Zoomed far out: minutes.
  assert.deepEqual(rulerTicks(0.05, 24, 0, 3 * 1440), [0, 1440 * 2]);
});
