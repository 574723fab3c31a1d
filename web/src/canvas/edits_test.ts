import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { applyChanges } from "./changes.ts";
import { createNode, defaultParams, deleteSelection, duplicate } from "./edits.ts";
import { counter, graphOf, node } from "./test_graph.ts";

Deno.test("a new node starts with its schema defaults and no prompt", () => {
  const params = defaultParams(NODE_TYPES["shot.generate"]!);
  assert.equal(params.width, 832);
  assert.equal(params.scene, "SC01");
  assert.equal("prompt" in params, false);
  assert.equal("seed" in params, false);
  const change = createNode("upscale", { x: 10.4, y: 20.6 }, "n1");
  assert.deepEqual(change, {
    type: "node.create",
    node: {
      id: "n1",
      type: "upscale",
      title: "Upscale",
      x: 10,
      y: 21,
      params: { scene: "SC01", shot: "SHOT-010", version: 1, factor: 2, filter: "lanczos" },
    },
  });
  assert.throws(() => createNode("nope", { x: 0, y: 0 }, "n2"), /unknown node type "nope"/);
});

Deno.test("deleting a selection deletes its edges explicitly before the nodes", () => {
  const g = graphOf([node("a", "shot.generate"), node("b", "upscale"), node("c", "upscale")], [
    ["e1", "a", "video", "b", "video"],
    ["e2", "a", "video", "c", "video"],
  ]);
  const changes = deleteSelection(g, ["b", "missing"]);
  assert.deepEqual(changes, [{ type: "edge.delete", id: "e1" }, { type: "node.delete", id: "b" }]);
});

Deno.test("duplicate copies nodes and the edges between them, not edges from outside", () => {
  const g = graphOf([
    node("a", "shot.generate", 0, 0),
    node("b", "upscale", 300, 0),
    node("c", "upscale", 600, 0),
  ], [
    ["e1", "a", "video", "b", "video"],
    ["e2", "b", "video", "c", "video"],
  ]);
  const { changes, ids } = duplicate(g, ["a", "b"], counter("copy"));
  assert.deepEqual(ids, ["copy1", "copy2"]);
  applyChanges(g, changes);
  assert.equal(Object.keys(g.nodes).length, 5);
  assert.deepEqual(g.nodes.copy2!.x, 332);
  const copiedEdges = Object.values(g.edges).filter((e) => e.id.startsWith("copy"));
  assert.deepEqual(copiedEdges.map((e) => [e.from.node, e.to.node]), [["copy1", "copy2"]]);
});
