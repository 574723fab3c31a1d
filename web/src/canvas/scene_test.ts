import assert from "node:assert/strict";
import { applyChanges, type Change } from "./changes.ts";
import { layoutNode, NODE_WIDTH, socketPosition } from "./layout.ts";
import { Scene } from "./scene.ts";
import { graphOf, node } from "./test_graph.ts";

function setup() {
  const graph = graphOf([node("shot", "shot.generate", 0, 0), node("up", "upscale", 400, 0)], [
    ["e1", "shot", "video", "up", "video"],
  ]);
  return { graph, scene: new Scene(() => graph) };
}

Deno.test("a point on a socket hits the socket, with its side and type", () => {
  const { graph, scene } = setup();
  const p = socketPosition(graph.nodes.shot!, "input", "style")!;
  assert.deepEqual(scene.hitTest({ x: p.x - 3, y: p.y + 2 }, 1), {
    kind: "socket",
    node: "shot",
    side: "input",
    socket: "style",
    type: "style",
  });
  const out = socketPosition(graph.nodes.shot!, "output", "video")!;
  assert.equal(out.x, NODE_WIDTH);
  assert.deepEqual(scene.hitTest(out, 1), {
    kind: "socket",
    node: "shot",
    side: "output",
    socket: "video",
    type: "video",
  });
});

Deno.test("the card hits the node, the curve hits the edge, empty space hits nothing", () => {
  const { scene } = setup();
  assert.deepEqual(scene.hitTest({ x: 100, y: 10 }, 1), { kind: "node", node: "shot" });
  const a = socketPosition({ type: "shot.generate", x: 0, y: 0 }, "output", "video")!;
  const b = socketPosition({ type: "upscale", x: 400, y: 0 }, "input", "video")!;
  assert.deepEqual(scene.hitTest({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 + 2 }, 1), {
    kind: "edge",
    edge: "e1",
  });
  assert.deepEqual(scene.hitTest({ x: 310, y: 900 }, 1), { kind: "none" });
});

Deno.test("the node drawn last wins where two overlap", () => {
  const graph = graphOf([node("under", "upscale", 0, 0), node("over", "upscale", 50, 10)]);
  const scene = new Scene(() => graph);
  assert.deepEqual(scene.hitTest({ x: 100, y: 20 }, 1), { kind: "node", node: "over" });
});

Deno.test("moving a node re-files it and its edges", () => {
  const { graph, scene } = setup();
  const changes: Change[] = [{ type: "node.update", id: "up", set: { y: 1000 } }];
  applyChanges(graph, changes);
  scene.update(changes);
  assert.deepEqual(scene.hitTest({ x: 410, y: 10 }, 1), { kind: "none" });
  assert.deepEqual(scene.hitTest({ x: 410, y: 1010 }, 1), { kind: "node", node: "up" });
  // Both sockets sat at y 45, so the edge's middle was (310, 45); it now dips to (310, 545).
  assert.deepEqual(scene.hitTest({ x: 310, y: 45 }, 1), { kind: "none" });
  assert.deepEqual(scene.hitTest({ x: 310, y: 545 }, 1), { kind: "edge", edge: "e1" });
});

Deno.test("deleting a node drops it and its edges from the index", () => {
  const { graph, scene } = setup();
  const changes: Change[] = [{ type: "node.delete", id: "shot" }];
  applyChanges(graph, changes);
  scene.update(changes);
  assert.deepEqual(scene.visible({ x: -1e4, y: -1e4, w: 2e4, h: 2e4 }), {
    nodes: ["up"],
    edges: [],
  });
});

Deno.test("nodesIn finds the nodes a marquee touches and bounds spans every node", () => {
  const { scene } = setup();
  assert.deepEqual(scene.nodesIn({ x: 350, y: -50, w: 100, h: 100 }), ["up"]);
  const bounds = scene.bounds()!;
  assert.deepEqual([bounds.x, bounds.y, bounds.w], [0, 0, 400 + NODE_WIDTH]);
  assert.equal(
    bounds.h,
    Math.max(
      layoutNode({ type: "shot.generate", x: 0, y: 0 }).rect.h,
      layoutNode({ type: "upscale", x: 0, y: 0 }).rect.h,
    ),
  );
});

Deno.test("zoomed out, sockets grow easier to hit, but never swallow the whole node", () => {
  const { graph, scene } = setup();
  const p = socketPosition(graph.nodes.up!, "input", "video")!;
  assert.equal(scene.hitTest({ x: p.x, y: p.y + 15 }, 1).kind, "node");
  assert.equal(scene.hitTest({ x: p.x, y: p.y + 15 }, 0.5).kind, "socket");
  assert.equal(
    scene.hitTest({ x: p.x + 40, y: p.y }, 0.1).kind,
    "node",
    "a press inside the card drags it",
  );
});
