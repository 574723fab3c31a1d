import assert from "node:assert/strict";
import { containedBox, shapeBetween } from "./shapes.ts";

Deno.test("a 16:9 picture in a square box sits between bars, and shapes are measured on it", () => {
  const picture = containedBox({ left: 0, top: 0, width: 160, height: 160 }, 1600, 900);
  assert.deepEqual(picture, { left: 0, top: 35, width: 160, height: 90 });
  assert.deepEqual(shapeBetween(picture, { x: 120, y: 125 }, { x: 40, y: 35 }), {
    kind: "rect",
    x: 0.25,
    y: 0,
    w: 0.5,
    h: 1,
  });
  // A drag past the picture stops at its edge; a click is a point.
  assert.deepEqual(shapeBetween(picture, { x: -50, y: 0 }, { x: 400, y: 500 }), {
    kind: "rect",
    x: 0,
    y: 0,
    w: 1,
    h: 1,
  });
  assert.deepEqual(shapeBetween(picture, { x: 80, y: 80 }, { x: 80, y: 80 }), {
    kind: "point",
    x: 0.5,
    y: 0.5,
  });
});
