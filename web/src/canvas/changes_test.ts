import assert from "node:assert/strict";
import { applicable, applyChanges, type Change, invertChanges } from "./changes.ts";
import { graphOf, node } from "./test_graph.ts";

function sample() {
  return graphOf(
    [
      node("a", "image.generate", 0, 0, { prompt: "door", steps: 20 }),
      node("b", "upscale", 300, 0),
    ],
    [["e1", "a", "image", "b", "video"]],
  );
}

Deno.test("node.update merges params key by key and null removes a key", () => {
  const g = sample();
  applyChanges(g, [{
    type: "node.update",
    id: "a",
    set: { x: 5, params: { steps: 30, prompt: null } },
  }]);
  assert.equal(g.nodes.a!.x, 5);
  assert.deepEqual(g.nodes.a!.params, { steps: 30 });
});

Deno.test("deleting a node removes the edges that touch it", () => {
  const g = sample();
  applyChanges(g, [{ type: "node.delete", id: "b" }]);
  assert.deepEqual(Object.keys(g.nodes), ["a"]);
  assert.deepEqual(g.edges, {});
});

Deno.test("changes whose target is gone are skipped, not crashes", () => {
  const g = sample();
  const applied = applyChanges(g, [
    { type: "node.update", id: "zzz", set: { x: 1 } },
    {
      type: "edge.create",
      edge: {
        id: "e2",
        from: { node: "a", socket: "image" },
        to: { node: "gone", socket: "video" },
      },
    },
    { type: "node.update", id: "a", set: { title: "Key art" } },
  ]);
  assert.equal(applied.length, 1);
  assert.equal(g.nodes.a!.title, "Key art");
  assert.equal(Object.keys(g.edges).length, 1);
});

Deno.test("applying the inverse restores the graph exactly, for every kind of change", () => {
  const edits: Change[] = [
    {
      type: "node.update",
      id: "a",
      set: { x: 99, y: -4, title: "T", params: { steps: 50, seed: 7, prompt: null } },
    },
    { type: "edge.delete", id: "e1" },
    { type: "node.create", node: node("c", "transition", 10, 10) },
    {
      type: "edge.create",
      edge: { id: "e9", from: { node: "a", socket: "image" }, to: { node: "c", socket: "from" } },
    },
    { type: "node.delete", id: "a" },
  ];
  const before = sample();
  const g = structuredClone(before);
  const undo = invertChanges(before, edits);
  applyChanges(g, edits);
  assert.notDeepEqual(g, before);
  applyChanges(g, undo);
  assert.deepEqual(g, before);
});

Deno.test("the inverse of a node delete brings back the node and its edges", () => {
  const before = sample();
  const undo = invertChanges(before, [{ type: "node.delete", id: "a" }]);
  assert.deepEqual(undo.map((c) => c.type), ["node.create", "edge.create"]);
});

Deno.test("applicable keeps what would apply in order and drops edits of vanished targets", () => {
  const g = graphOf([node("a", "upscale"), node("b", "upscale")], [[
    "e1",
    "a",
    "video",
    "b",
    "video",
  ]]);
  const batch: Change[] = [
    { type: "node.update", id: "gone", set: { x: 1 } },
    { type: "node.create", node: node("c", "upscale") },
    {
      type: "edge.create",
      edge: { id: "e2", from: { node: "b", socket: "video" }, to: { node: "c", socket: "video" } },
    },
    { type: "node.delete", id: "a" },
    { type: "edge.delete", id: "e1" }, // went with node a
    { type: "node.update", id: "a", set: { x: 2 } },
    { type: "node.create", node: node("b", "upscale") }, // id taken
  ];
  assert.deepEqual(applicable(g, batch), [batch[1], batch[2], batch[3]]);
});
