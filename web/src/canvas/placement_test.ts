import assert from "node:assert/strict";
import { freeSpot, PLACE_GAP } from "./placement.ts";
import { type Rect, rectsIntersect } from "./viewport.ts";

const size = { w: 220, h: 150 };

Deno.test("an empty spot is taken as asked; a taken one moves to the nearest free room", () => {
  const cards: Rect[] = [];
  const taken = (r: Rect) => cards.some((c) => rectsIntersect(c, r));
  assert.deepEqual(freeSpot({ x: 0, y: 0 }, size, taken), { x: 0, y: 0 });
  cards.push({ x: 0, y: 0, ...size });
  for (let i = 0; i < 6; i++) {
    const at = freeSpot({ x: 0, y: 0 }, size, taken);
    const box = { ...at, ...size };
    assert.ok(!cards.some((c) => rectsIntersect(c, box)), `card ${i} overlaps nothing`);
    assert.ok(Math.hypot(at.x, at.y) < 3 * (size.w + PLACE_GAP), "and stays near");
    cards.push(box);
  }
});

Deno.test("a packed canvas gives the wanted point back rather than searching forever", () => {
  assert.deepEqual(freeSpot({ x: 5, y: 5 }, size, () => true), { x: 5, y: 5 });
});
