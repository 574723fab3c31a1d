import assert from "node:assert/strict";
import { SpatialIndex } from "./spatial_index.ts";

Deno.test("point and rectangle queries find exactly the items that overlap", () => {
  const index = new SpatialIndex(100);
  index.set("a", { x: 0, y: 0, w: 50, h: 50 });
  index.set("b", { x: 180, y: 180, w: 50, h: 50 });
  index.set("c", { x: 90, y: 90, w: 20, h: 20 }); // spans four cells
  assert.deepEqual(index.queryPoint({ x: 10, y: 10 }), ["a"]);
  assert.deepEqual(index.queryPoint({ x: 105, y: 105 }), ["c"]);
  assert.deepEqual(index.queryPoint({ x: 150, y: 150 }), []);
  assert.deepEqual(index.queryRect({ x: 40, y: 40, w: 60, h: 60 }).sort(), ["a", "c"]);
});

Deno.test("moving an item unfiles it from its old cells", () => {
  const index = new SpatialIndex(100);
  index.set("a", { x: 0, y: 0, w: 50, h: 50 });
  index.set("a", { x: 500, y: 500, w: 50, h: 50 });
  assert.deepEqual(index.queryPoint({ x: 10, y: 10 }), []);
  assert.deepEqual(index.queryPoint({ x: 510, y: 510 }), ["a"]);
  index.delete("a");
  assert.equal(index.size, 0);
  assert.deepEqual(index.queryRect({ x: -1e6, y: -1e6, w: 2e6, h: 2e6 }), []);
});

Deno.test("huge items and huge queries still answer correctly", () => {
  const index = new SpatialIndex(10);
  index.set("wide", { x: -1e5, y: 0, w: 2e5, h: 5 });
  index.set("small", { x: 3, y: 3, w: 1, h: 1 });
  assert.deepEqual(index.queryPoint({ x: 5e4, y: 2 }), ["wide"]);
  assert.deepEqual(index.queryRect({ x: -1e7, y: -1e7, w: 2e7, h: 2e7 }).sort(), ["small", "wide"]);
  index.delete("wide");
  assert.deepEqual(index.queryPoint({ x: 5e4, y: 2 }), []);
});
