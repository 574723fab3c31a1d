import assert from "node:assert/strict";
import { emptyGraph, type Graph } from "../protocol/graph.ts";
import { applyOp } from "./graph_ops.ts";

function node(id: string, type = "shot.generate") {
  // Params valid for the type: the rules refuse what its schema does not take.
  const params = type === "shot.generate" ? { prompt: "p", seed: 1 } : {};
  return { id, type, title: id, x: 0, y: 0, params };
}
function edge(id: string, from: string, fromSocket: string, to: string, toSocket: string) {
  return { id, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } };
}
function graphWith(...ids: [string, string][]): { graph: Graph; deleted: Set<string> } {
  const graph = emptyGraph();
  const deleted = new Set<string>();
  for (const [id, type] of ids) {
    assert.ok(applyOp(graph, { type: "node.create", node: node(id, type) }, deleted).ok);
  }
  return { graph, deleted };
}

Deno.test("node.update sets only the properties it names (per-property last writer wins)", () => {
  const { graph, deleted } = graphWith(["a", "shot.generate"]);
  applyOp(graph, { type: "node.update", id: "a", set: { x: 10 } }, deleted);
  applyOp(
    graph,
    { type: "node.update", id: "a", set: { title: "Door", params: { prompt: "q" } } },
    deleted,
  );
  applyOp(graph, { type: "node.update", id: "a", set: { x: 20, params: { seed: null } } }, deleted);
  assert.deepEqual(graph.nodes.a, {
    id: "a",
    type: "shot.generate",
    title: "Door",
    x: 20,
    y: 0,
    params: { prompt: "q" },
  });
});

Deno.test("an update to a deleted node is rejected with a reason and the node stays deleted", () => {
  const { graph, deleted } = graphWith(["a", "shot.generate"]);
  assert.ok(applyOp(graph, { type: "node.delete", id: "a" }, deleted).ok);
  const result = applyOp(graph, { type: "node.update", id: "a", set: { x: 1 } }, deleted);
  assert.deepEqual(result, {
    ok: false,
    code: "conflict",
    field: "id",
    reason: "node a was deleted",
  });
  assert.equal(graph.nodes.a, undefined);
});

Deno.test("a deleted node's id cannot be created again, and unknown types are refused", () => {
  const { graph, deleted } = graphWith(["a", "shot.generate"]);
  applyOp(graph, { type: "node.delete", id: "a" }, deleted);
  const again = applyOp(graph, { type: "node.create", node: node("a") }, deleted);
  assert.equal(again.ok ? "" : again.code, "conflict");
  const unknown = applyOp(graph, { type: "node.create", node: node("b", "teleport") }, deleted);
  assert.equal(unknown.ok ? "" : unknown.field, "node.type");
  assert.deepEqual(Object.keys(graph.nodes), []);
});

Deno.test("deleting a node removes the edges attached to it", () => {
  const { graph, deleted } = graphWith(["s", "shot.generate"], ["u", "upscale"]);
  assert.ok(
    applyOp(graph, { type: "edge.create", edge: edge("e", "s", "video", "u", "video") }, deleted)
      .ok,
  );
  applyOp(graph, { type: "node.delete", id: "u" }, deleted);
  assert.deepEqual(graph.edges, {});
});

Deno.test("edges must join an existing output to an existing input of a compatible type", () => {
  const { graph, deleted } = graphWith(["img", "image.generate"], ["up", "upscale"], [
    "style",
    "asset.style",
  ]);
  const wrongType = applyOp(graph, {
    type: "edge.create",
    edge: edge("e1", "img", "image", "up", "video"),
  }, deleted);
  assert.equal(wrongType.ok ? "" : wrongType.code, "incompatible_sockets");
  const noSocket = applyOp(graph, {
    type: "edge.create",
    edge: edge("e2", "img", "video", "up", "video"),
  }, deleted);
  assert.equal(noSocket.ok ? "" : noSocket.field, "edge.from.socket");
  const noNode = applyOp(graph, {
    type: "edge.create",
    edge: edge("e3", "img", "image", "zz", "in"),
  }, deleted);
  assert.equal(noNode.ok ? "" : noNode.field, "edge.to.node");
  assert.deepEqual(graph.edges, {});
});

Deno.test("an input takes one edge and no edge may close a cycle", () => {
  const { graph, deleted } = graphWith(["p1", "control.pipeline"], ["p2", "control.pipeline"], [
    "p3",
    "control.pipeline",
  ], ["p4", "control.pipeline"]);
  assert.ok(
    applyOp(graph, { type: "edge.create", edge: edge("a", "p1", "out", "p2", "in") }, deleted).ok,
  );
  assert.ok(
    applyOp(graph, { type: "edge.create", edge: edge("b", "p2", "out", "p3", "in") }, deleted).ok,
  );
  const cycle = applyOp(
    graph,
    { type: "edge.create", edge: edge("c", "p3", "out", "p1", "in") },
    deleted,
  );
  assert.equal(cycle.ok ? "" : cycle.code, "cycle");
  const self = applyOp(
    graph,
    { type: "edge.create", edge: edge("d", "p4", "out", "p4", "in") },
    deleted,
  );
  assert.equal(self.ok ? "" : self.code, "cycle");
  const taken = applyOp(
    graph,
    { type: "edge.create", edge: edge("e", "p1", "out", "p3", "in") },
    deleted,
  );
  assert.equal(taken.ok ? "" : taken.code, "conflict");
  assert.deepEqual(Object.keys(graph.edges).sort(), ["a", "b"]);
});

Deno.test("edge.delete of a missing edge is rejected", () => {
  const { graph, deleted } = graphWith();
  const result = applyOp(graph, { type: "edge.delete", id: "nope" }, deleted);
  assert.equal(result.ok ? "" : result.code, "not_found");
});
