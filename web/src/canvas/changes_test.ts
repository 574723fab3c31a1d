import assert from "node:assert/strict";
import { applyChanges, type Change, planEdit } from "./changes.ts";
import type { Graph } from "../../../protocol/graph.ts";
import { graphOf, node } from "./test_graph.ts";

function sample() {
  return graphOf(
    [
      node("a", "shot.generate", 0, 0, { prompt: "door", steps: 20 }),
      node("b", "upscale", 300, 0),
    ],
    [["e1", "a", "video", "b", "video"]],
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
      edge: { id: "e9", from: { node: "a", socket: "video" }, to: { node: "c", socket: "from" } },
    },
    { type: "node.delete", id: "a" },
  ];
  const before = sample();
  const g = structuredClone(before);
  const { undo } = planEdit(before, edits);
  applyChanges(g, edits);
  assert.notDeepEqual(g, before);
  applyChanges(g, undo);
  assert.deepEqual(g, before);
});

Deno.test("the inverse of a node delete brings back the node and its edges", () => {
  const before = sample();
  const { undo } = planEdit(before, [{ type: "node.delete", id: "a" }]);
  assert.deepEqual(undo.map((c) => c.type), ["node.create", "edge.create"]);
});

Deno.test("an edit keeps what would apply in order and drops edits of vanished targets", () => {
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
  const before = structuredClone(g);
  assert.deepEqual(planEdit(g, batch).changes, [batch[1], batch[2], batch[3]]);
  assert.deepEqual(g, before, "planning leaves the graph as it is");
});

Deno.test("what the room would refuse is not drawn: a loop, a wrong socket type, a taken input", () => {
  const g = graphOf([
    node("p1", "control.pipeline"),
    node("p2", "control.pipeline"),
    node("img", "image.generate"),
    node("up", "upscale"),
  ], [[
    "e1",
    "p1",
    "out",
    "p2",
    "in",
  ]]);
  const edge = (
    id: string,
    from: string,
    fromSocket: string,
    to: string,
    toSocket: string,
  ): Change => ({
    type: "edge.create",
    edge: { id, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } },
  });
  const applied = applyChanges(g, [
    edge("loop", "p2", "out", "p1", "in"),
    edge("typed", "img", "image", "up", "video"),
    edge("taken", "img", "image", "p2", "in"),
  ]);
  assert.deepEqual(applied, []);
  assert.deepEqual(Object.keys(g.edges), ["e1"]);
});

Deno.test("timeline edits of a cut are undone by the changes planEdit gives back", () => {
  const graph: Graph = {
    nodes: {
      s1: { id: "s1", type: "shot.generate", title: "s1", x: 0, y: 0, params: { prompt: "p" } },
      s2: { id: "s2", type: "shot.generate", title: "s2", x: 0, y: 0, params: { prompt: "p" } },
    },
    edges: {},
  };
  const made = planEdit(graph, [{
    type: "cut.create",
    cut: { id: "main", name: "Main", format: { width: 1280, height: 720, fps: 24 } },
    fromGraph: true,
  }]);
  applyChanges(graph, made.changes);
  const before = structuredClone(graph);
  for (
    const edit of [
      [{ type: "cut.clip.update", cutId: "main", clipId: "v1", set: { out: 50, position: "a9" } }],
      [{ type: "cut.clip.remove", cutId: "main", clipId: "v2" }],
      [{ type: "cut.update", id: "main", set: { name: "Trailer" } }],
      [{ type: "cut.delete", id: "main" }],
    ] as Change[][]
  ) {
    const plan = planEdit(graph, edit);
    assert.equal(plan.changes.length, 1);
    applyChanges(graph, plan.changes);
    assert.notDeepEqual(graph, before);
    applyChanges(graph, plan.undo);
    assert.deepEqual(graph, before, `undo of ${edit[0]!.type}`);
  }
  applyChanges(graph, made.undo);
  assert.deepEqual(graph.cuts, {});
});
