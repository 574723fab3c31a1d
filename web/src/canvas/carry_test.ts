import assert from "node:assert/strict";
import { carriedPosition, planCarry } from "./carry.ts";
import { graphOf, node } from "./test_graph.ts";

const chain = graphOf(
  [node("a", "upscale"), node("b", "upscale"), node("c", "upscale"), node("d", "upscale")],
  [
    ["ab", "a", "video", "b", "video"],
    ["bc", "b", "video", "c", "video"],
    ["cd", "c", "video", "d", "video"],
  ],
);

Deno.test("dragging a few nodes carries them and redraws only the edges touching them", () => {
  const plan = planCarry(chain, new Set(["b"]));
  assert.equal(plan.sign, 1);
  assert.deepEqual([...plan.nodes], ["b"]);
  assert.deepEqual([...plan.edges], ["ab", "bc"]);
});

Deno.test("dragging most nodes moves the world and carries the rest back", () => {
  const plan = planCarry(chain, new Set(["a", "b", "c"]));
  assert.equal(plan.sign, -1);
  assert.deepEqual([...plan.nodes], ["d"]);
  assert.deepEqual([...plan.edges], ["cd"]);
  const all = planCarry(chain, new Set(["a", "b", "c", "d"]));
  assert.equal(all.nodes.size, 0, "dragging everything carries nothing on its own");
  assert.deepEqual([...all.edges], []);
});

Deno.test("either way each node is drawn where the drag puts it", () => {
  const drag = { x: 10, y: -5 };
  for (const moving of [new Set(["b"]), new Set(["a", "b", "c"])]) {
    const plan = planCarry(chain, moving);
    for (const id of ["a", "b", "c", "d"]) {
      const at = carriedPosition(plan, id, { x: 100, y: 100 }, drag);
      const expected = moving.has(id) ? { x: 110, y: 95 } : { x: 100, y: 100 };
      assert.deepEqual(at, expected, `${id} with ${[...moving]} dragged`);
    }
  }
});
