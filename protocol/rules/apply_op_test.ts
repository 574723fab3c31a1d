import assert from "node:assert/strict";
import type { GraphOp } from "../canvas.ts";
import { emptyGraph } from "../graph.ts";
import { applyOp, type Outcome, type RoomDoc } from "./mod.ts";

function node(id: string, type = "shot.generate") {
  // Params valid for the type: the rules refuse what its schema does not take.
  const params = type === "shot.generate" ? { prompt: "p", seed: 1 } : {};
  return { id, type, title: id, x: 0, y: 0, params };
}
function edge(id: string, from: string, fromSocket: string, to: string, toSocket: string) {
  return { id, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } };
}
/** A document holding nodes of the given [id, type]s, and `apply` for further ops on it. */
function docWith(...ids: [string, string][]): RoomDoc & { apply(op: GraphOp): Outcome } {
  const doc = { graph: emptyGraph(), deleted: new Set<string>() };
  const apply = (op: GraphOp) => applyOp(doc, op);
  for (const [id, type] of ids) assert.ok(apply({ type: "node.create", node: node(id, type) }).ok);
  return { ...doc, apply };
}
const refusal = (outcome: Outcome) => outcome.ok ? null : [outcome.code, outcome.field];

Deno.test("node.update sets only the properties it names (per-property last writer wins)", () => {
  const doc = docWith(["a", "shot.generate"]);
  doc.apply({ type: "node.update", id: "a", set: { x: 10 } });
  doc.apply({ type: "node.update", id: "a", set: { title: "Door", params: { prompt: "q" } } });
  doc.apply({ type: "node.update", id: "a", set: { x: 20, params: { seed: null } } });
  assert.deepEqual(doc.graph.nodes.a, {
    id: "a",
    type: "shot.generate",
    title: "Door",
    x: 20,
    y: 0,
    params: { prompt: "q" },
  });
});

Deno.test("an update to a deleted node is refused with a reason and the node stays deleted", () => {
  const doc = docWith(["a", "shot.generate"]);
  assert.ok(doc.apply({ type: "node.delete", id: "a" }).ok);
  assert.deepEqual(doc.apply({ type: "node.update", id: "a", set: { x: 1 } }), {
    ok: false,
    code: "conflict",
    field: "id",
    reason: "node a was deleted",
  });
  assert.equal(doc.graph.nodes.a, undefined);
});

Deno.test("a deleted node's id cannot be created again but can be restored; unknown types are refused", () => {
  const doc = docWith(["a", "shot.generate"]);
  doc.apply({ type: "node.delete", id: "a" });
  assert.deepEqual(refusal(doc.apply({ type: "node.create", node: node("a") })), [
    "conflict",
    "node.id",
  ]);
  assert.deepEqual(refusal(doc.apply({ type: "node.create", node: node("b", "teleport") })), [
    "invalid",
    "node.type",
  ]);
  assert.deepEqual(Object.keys(doc.graph.nodes), []);
  assert.ok(doc.apply({ type: "node.create", node: node("a"), restore: true }).ok);
  assert.deepEqual(Object.keys(doc.graph.nodes), ["a"]);
  assert.equal(doc.deleted.has("a"), false);
});

Deno.test("deleting a node removes the edges attached to it and names them", () => {
  const doc = docWith(["s", "shot.generate"], ["u", "upscale"]);
  assert.ok(doc.apply({ type: "edge.create", edge: edge("e", "s", "video", "u", "video") }).ok);
  const outcome = doc.apply({ type: "node.delete", id: "u" });
  assert.deepEqual(outcome.ok && [outcome.nodes, outcome.edges], [["u"], ["e"]]);
  assert.deepEqual(doc.graph.edges, {});
});

Deno.test("edges must join an existing output to an existing input of a compatible type", () => {
  const doc = docWith(["img", "image.generate"], ["up", "upscale"], ["style", "asset.style"]);
  const wrongType = doc.apply({
    type: "edge.create",
    edge: edge("e1", "img", "image", "up", "video"),
  });
  assert.deepEqual(refusal(wrongType), ["incompatible_sockets", "edge.to.socket"]);
  assert.match(!wrongType.ok ? wrongType.reason : "", /image output cannot feed the video input/);
  const noSocket = doc.apply({
    type: "edge.create",
    edge: edge("e2", "img", "video", "up", "video"),
  });
  assert.deepEqual(refusal(noSocket), ["not_found", "edge.from.socket"]);
  assert.match(!noSocket.ok ? noSocket.reason : "", /"img" has no output "video"/);
  const noNode = doc.apply({ type: "edge.create", edge: edge("e3", "img", "image", "zz", "in") });
  assert.deepEqual(refusal(noNode), ["not_found", "edge.to.node"]);
  assert.deepEqual(doc.graph.edges, {});
});

Deno.test("an input takes one edge and no edge may close a cycle", () => {
  const pipes = ["p1", "p2", "p3", "p4"].map((id): [string, string] => [id, "control.pipeline"]);
  const doc = docWith(...pipes);
  assert.ok(doc.apply({ type: "edge.create", edge: edge("a", "p1", "out", "p2", "in") }).ok);
  assert.ok(doc.apply({ type: "edge.create", edge: edge("b", "p2", "out", "p3", "in") }).ok);
  const cycle = doc.apply({ type: "edge.create", edge: edge("c", "p3", "out", "p1", "in") });
  assert.deepEqual(refusal(cycle), ["cycle", "edge"]);
  const self = doc.apply({ type: "edge.create", edge: edge("d", "p4", "out", "p4", "in") });
  assert.deepEqual(refusal(self), ["cycle", "edge"]);
  const taken = doc.apply({ type: "edge.create", edge: edge("e", "p1", "out", "p3", "in") });
  assert.deepEqual(refusal(taken), ["conflict", "edge.to.socket"]);
  assert.match(!taken.ok ? taken.reason : "", /input "in" of "p3" is already connected/);
  assert.deepEqual(Object.keys(doc.graph.edges).sort(), ["a", "b"]);
});

Deno.test("edge.delete of a missing edge is refused", () => {
  const doc = docWith();
  assert.deepEqual(refusal(doc.apply({ type: "edge.delete", id: "nope" })), ["not_found", "id"]);
});

Deno.test("undo puts the document back as it was before each kind of op", () => {
  const doc = docWith(["s", "shot.generate"], ["u", "upscale"], ["v", "upscale"], [
    "gone",
    "upscale",
  ]);
  doc.apply({ type: "node.delete", id: "gone" });
  doc.apply({ type: "edge.create", edge: edge("e", "s", "video", "u", "video") });
  const ops: GraphOp[] = [
    { type: "node.create", node: node("n") },
    { type: "node.create", node: node("gone", "upscale"), restore: true },
    { type: "node.update", id: "s", set: { title: "T", x: 5, params: { seed: null } } },
    { type: "node.delete", id: "u" },
    { type: "edge.create", edge: edge("e2", "s", "video", "v", "video") },
    { type: "edge.delete", id: "e" },
  ];
  for (const op of ops) {
    const before = structuredClone({ graph: doc.graph, deleted: doc.deleted });
    const outcome = doc.apply(op);
    assert.ok(outcome.ok, `${op.type} applies`);
    outcome.undo();
    assert.deepEqual({ graph: doc.graph, deleted: doc.deleted }, before, `undo of ${op.type}`);
  }
});

Deno.test("a parameter value the node's schema refuses is never stored, on create or update", () => {
  const doc = docWith(["a", "upscale"]);
  const bad = { ...node("b", "shot.generate"), params: { prompt: "p", steps: 2.5 } };
  assert.deepEqual(refusal(doc.apply({ type: "node.create", node: bad })), [
    "invalid",
    "node.params.steps",
  ]);
  assert.equal(doc.graph.nodes.b, undefined);
  const update: GraphOp = { type: "node.update", id: "a", set: { params: { factor: 9 } } };
  assert.deepEqual(refusal(doc.apply(update)), ["invalid", "set.params.factor"]);
  assert.deepEqual(doc.graph.nodes.a!.params, {});
  assert.ok(doc.apply({ type: "node.update", id: "a", set: { params: { factor: 2 } } }).ok);
});
