import assert from "node:assert/strict";
import type { Graph } from "../../../protocol/graph.ts";
import { applyChanges, type Change } from "./changes.ts";
import { CanvasEngine } from "./engine.ts";
import { socketPosition } from "./layout.ts";
import { counter, graphOf, node } from "./test_graph.ts";
import { rectsIntersect, worldToScreen } from "./viewport.ts";

/** An engine over an in-memory graph that records what it sent and what it refused. */
function harness(graph: Graph, readOnly = false) {
  const sent: { changes: Change[]; transient: boolean }[] = [];
  const refusals: string[] = [];
  const engine = new CanvasEngine({
    graph: () => graph,
    apply: (changes, transient) => {
      // Drag steps go to the room only; the drawn graph changes on drop.
      if (!transient) applyChanges(graph, changes);
      sent.push({ changes, transient });
    },
    newId: counter("n"),
    readOnly: () => readOnly,
    refuse: (reason) => refusals.push(reason),
  });
  return { engine, graph, sent, refusals };
}

function drag(
  engine: CanvasEngine,
  from: { x: number; y: number },
  to: { x: number; y: number },
  shiftKey = false,
) {
  engine.pointerDown(from, { button: 0, shiftKey });
  engine.pointerMove({ x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 });
  engine.pointerMove(to);
  engine.pointerUp(to);
}

const twoNodes = () => graphOf([node("a", "upscale", 0, 0), node("b", "upscale", 400, 0)]);

Deno.test("dragging a node moves it, streams transient moves and is one undo step", () => {
  const { engine, graph, sent } = harness(twoNodes());
  drag(engine, { x: 50, y: 10 }, { x: 150, y: 60 });
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.a!.y], [100, 50]);
  assert.ok(sent.some((s) => s.transient), "moves are sent while dragging");
  assert.equal(sent.at(-1)!.transient, false, "the drop is sent as final");
  assert.deepEqual([...engine.state.selection], ["a"]);
  engine.key({ key: "z", ctrlKey: true });
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.a!.y], [0, 0]);
  engine.key({ key: "z", ctrlKey: true, shiftKey: true });
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.a!.y], [100, 50]);
});

Deno.test("dragging empty space pans the view and keeps the graph unchanged", () => {
  const { engine, graph, sent } = harness(twoNodes());
  drag(engine, { x: 300, y: 500 }, { x: 340, y: 450 });
  assert.deepEqual(engine.state.viewport, { x: 40, y: -50, zoom: 1 });
  assert.equal(sent.length, 0);
  assert.equal(graph.nodes.a!.x, 0);
});

Deno.test("a moved-then-zoomed drag moves nodes by world distance", () => {
  const { engine, graph } = harness(twoNodes());
  engine.setViewport({ x: 0, y: 0, zoom: 2 });
  drag(engine, { x: 100, y: 20 }, { x: 200, y: 20 });
  assert.equal(graph.nodes.a!.x, 50);
});

Deno.test("shift-drag on empty space selects the nodes under the marquee", () => {
  const { engine } = harness(
    graphOf([
      node("a", "upscale", 0, 0),
      node("b", "upscale", 400, 0),
      node("c", "upscale", 0, 600),
    ]),
  );
  drag(engine, { x: -20, y: -20 }, { x: 700, y: 100 }, true);
  assert.deepEqual([...engine.state.selection].sort(), ["a", "b"]);
  assert.equal(engine.state.marquee, null, "the marquee disappears on release");
  engine.pointerDown({ x: 10, y: 610 }, { button: 0, shiftKey: true });
  engine.pointerUp({ x: 10, y: 610 });
  assert.deepEqual([...engine.state.selection].sort(), ["a", "b", "c"], "shift-click adds");
});

Deno.test("dragging from an output to a compatible input creates an edge", () => {
  const { engine, graph } = harness(
    graphOf([node("shot", "shot.generate", 0, 0), node("up", "upscale", 400, 0)]),
  );
  const from = socketPosition(graph.nodes.shot!, "output", "video")!;
  const to = socketPosition(graph.nodes.up!, "input", "video")!;
  engine.pointerDown(from, { button: 0 });
  engine.pointerMove(to);
  assert.deepEqual(engine.state.wire?.check, { ok: true }, "the wire shows it will connect");
  engine.pointerUp(to);
  assert.deepEqual(Object.values(graph.edges), [{
    id: "n1",
    from: { node: "shot", socket: "video" },
    to: { node: "up", socket: "video" },
  }]);
  assert.equal(engine.state.wire, null);
});

Deno.test("dropping a wire on an incompatible socket is refused with the reason", () => {
  const { engine, graph, refusals } = harness(
    graphOf([node("style", "asset.style", 0, 0), node("up", "upscale", 400, 0)]),
  );
  const from = socketPosition(graph.nodes.style!, "output", "style")!;
  const to = socketPosition(graph.nodes.up!, "input", "video")!;
  engine.pointerDown(from, { button: 0 });
  engine.pointerMove(to);
  const check = engine.state.wire?.check;
  assert.equal(check?.ok, false);
  engine.pointerUp(to);
  assert.deepEqual(graph.edges, {});
  assert.deepEqual(refusals, ['a style output cannot feed the video input "video"']);
});

Deno.test("delete removes the selection with its edges; undo restores both", () => {
  const g = graphOf([node("shot", "shot.generate", 0, 0), node("up", "upscale", 400, 0)], [[
    "e1",
    "shot",
    "video",
    "up",
    "video",
  ]]);
  const { engine, graph, sent } = harness(g);
  const before = structuredClone(graph);
  engine.select(["up"]);
  assert.equal(engine.key({ key: "Delete" }), true);
  assert.deepEqual(Object.keys(graph.nodes), ["shot"]);
  assert.deepEqual(graph.edges, {});
  assert.deepEqual([...engine.state.selection], [], "deleted nodes leave the selection");
  engine.key({ key: "z", metaKey: true });
  // The same node (id, params) and edge come back, so its takes are found again by its id.
  assert.deepEqual(graph, before);
  const restore = sent.at(-1)!.changes.find((c) => c.type === "node.create");
  assert.deepEqual(restore, { type: "node.create", node: before.nodes.up, restore: true });
});

Deno.test("undo, redo and undo again of a delete keep the node's id", () => {
  const { engine, graph, sent } = harness(twoNodes());
  engine.select(["a"]);
  engine.key({ key: "ArrowDown" });
  engine.key({ key: "Delete" });
  engine.key({ key: "z", ctrlKey: true }); // back
  engine.key({ key: "y", ctrlKey: true }); // deleted again
  assert.deepEqual(Object.keys(graph.nodes), ["b"]);
  engine.key({ key: "z", ctrlKey: true });
  engine.key({ key: "z", ctrlKey: true }); // and the nudge before the delete is undone on it
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.a!.y], [0, 0]);
  assert.deepEqual(Object.keys(graph.nodes).sort(), ["a", "b"]);
  const restores = sent.flatMap((s) => s.changes).filter((c) => c.type === "node.create");
  assert.ok(restores.every((c) => c.type === "node.create" && c.restore === true));
});

Deno.test("redo of an undone create restores the node under its id", () => {
  const { engine, graph, sent } = harness(twoNodes());
  const id = engine.place("upscale", { x: 600, y: 300 })!;
  engine.key({ key: "z", ctrlKey: true });
  assert.equal(graph.nodes[id], undefined);
  engine.key({ key: "y", ctrlKey: true });
  assert.ok(graph.nodes[id], "the same id is back");
  assert.deepEqual(sent.at(-1)!.changes.map((c) => c.type === "node.create" && c.restore), [true]);
});

Deno.test("undo skips an edit whose node a teammate deleted meanwhile", () => {
  const { engine, graph } = harness(twoNodes());
  engine.select(["a", "b"]);
  engine.key({ key: "ArrowRight" });
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.b!.x], [10, 410]);
  const remote: Change[] = [{ type: "node.delete", id: "a" }];
  applyChanges(graph, remote);
  engine.graphChanged(remote);
  assert.deepEqual([...engine.state.selection], ["b"]);
  engine.key({ key: "z", ctrlKey: true });
  assert.deepEqual(
    Object.keys(graph.nodes),
    ["b"],
    "undo does not bring back a node it did not delete",
  );
  assert.equal(graph.nodes.b!.x, 400);
});

Deno.test("a reviewer can pan and select but every edit is refused", () => {
  const { engine, graph, sent, refusals } = harness(twoNodes(), true);
  drag(engine, { x: 50, y: 10 }, { x: 150, y: 60 });
  assert.deepEqual([...engine.state.selection], ["a"]);
  assert.equal(graph.nodes.a!.x, 0);
  engine.key({ key: "Delete" });
  assert.equal(engine.place("upscale", { x: 10, y: 10 }), null);
  assert.equal(Object.keys(graph.nodes).length, 2);
  assert.equal(sent.length, 0);
  assert.deepEqual(refusals, ["review mode is read-only", "review mode is read-only"]);
});

Deno.test("place drops a node where asked and selects it; duplicate copies the selection", () => {
  const { engine, graph } = harness({ nodes: {}, edges: {} });
  engine.setViewport({ x: 100, y: 100, zoom: 1 });
  const id = engine.place("upscale", { x: 400, y: 300 })!;
  assert.deepEqual([graph.nodes[id]!.x, graph.nodes[id]!.y], [300 - 110, 200 - 20]);
  assert.deepEqual([...engine.state.selection], [id]);
  engine.key({ key: "d", ctrlKey: true });
  assert.equal(Object.keys(graph.nodes).length, 2);
  assert.notDeepEqual([...engine.state.selection], [id], "the copy is selected");
});

Deno.test("ctrl+wheel zooms around the cursor; a trackpad scroll pans", () => {
  const { engine } = harness(twoNodes());
  const cursor = { x: 200, y: 100 };
  engine.wheel(cursor, { deltaX: 0, deltaY: -20, ctrlKey: true });
  const view = engine.state.viewport;
  assert.ok(view.zoom > 1);
  const worldUnder = { x: (cursor.x - view.x) / view.zoom, y: (cursor.y - view.y) / view.zoom };
  const back = worldToScreen(view, worldUnder);
  assert.ok(Math.abs(back.x - cursor.x) < 1e-9);
  engine.wheel(cursor, { deltaX: 12.5, deltaY: 7.5 });
  assert.equal(engine.state.viewport.zoom, view.zoom);
  assert.deepEqual([engine.state.viewport.x, engine.state.viewport.y], [
    view.x - 12.5,
    view.y - 7.5,
  ]);
});

Deno.test("fit frames every node; zoom keys zoom around the screen centre", () => {
  const { engine } = harness(
    graphOf([node("a", "upscale", -2000, 0), node("b", "upscale", 3000, 1500)]),
  );
  engine.setScreenSize(1280, 800);
  engine.key({ key: "f" });
  const view = engine.state.viewport;
  assert.ok(view.zoom < 0.3);
  const left = worldToScreen(view, { x: -2000, y: 0 });
  assert.ok(left.x >= 0 && left.y >= 0);
  engine.key({ key: "=" });
  assert.ok(engine.state.viewport.zoom > view.zoom);
});

Deno.test("cancelling a drag puts the nodes back", () => {
  const { engine, graph } = harness(twoNodes());
  engine.pointerDown({ x: 50, y: 10 }, { button: 0 });
  engine.pointerMove({ x: 250, y: 10 });
  assert.deepEqual(engine.state.drag, { x: 200, y: 0 });
  engine.pointerCancel();
  assert.equal(graph.nodes.a!.x, 0);
  assert.equal(engine.state.drag, null);
  assert.equal(engine.state.gesture, "idle");
});

Deno.test("placing twice at one spot cascades the second node", () => {
  const { engine, graph } = harness({ nodes: {}, edges: {} });
  const a = engine.place("upscale", { x: 300, y: 300 })!;
  const b = engine.place("upscale", { x: 300, y: 300 })!;
  assert.deepEqual([graph.nodes[b]!.x - graph.nodes[a]!.x, graph.nodes[b]!.y - graph.nodes[a]!.y], [
    24,
    24,
  ]);
});

Deno.test("a drag in progress is one offset; the graph changes once, on drop", () => {
  const graph = graphOf([node("a", "upscale", 0, 0), node("b", "upscale", 400, 0)]);
  const { engine, sent } = harness(graph);
  engine.select(["a", "b"]);
  engine.pointerDown({ x: 50, y: 10 }, { button: 0 });
  engine.pointerMove({ x: 80, y: 30 });
  engine.pointerMove({ x: 110, y: 50 });
  assert.deepEqual(engine.state.drag, { x: 60, y: 40 });
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.b!.x], [0, 400], "not drawn until the drop");
  assert.deepEqual(
    sent.at(-1),
    {
      transient: true,
      changes: [
        { type: "node.update", id: "a", set: { x: 60, y: 40 } },
        { type: "node.update", id: "b", set: { x: 460, y: 40 } },
      ],
    },
    "teammates see the drag as it happens",
  );
  engine.pointerUp({ x: 110, y: 50 });
  assert.equal(engine.state.drag, null);
  assert.deepEqual([graph.nodes.a!.x, graph.nodes.b!.x, graph.nodes.b!.y], [60, 460, 40]);
});

Deno.test("edits typed into one field (one coalesce key) are undone as one step", () => {
  const { engine, graph } = harness(twoNodes());
  for (const title of ["r", "ra", "rain"]) {
    engine.edit([{ type: "node.update", id: "a", set: { title } }], "title-focus-1");
  }
  engine.edit([{ type: "node.update", id: "a", set: { title: "rain!" } }], "title-focus-2");
  engine.key({ key: "z", ctrlKey: true });
  assert.equal(graph.nodes.a!.title, "rain", "the second focus is its own step");
  engine.key({ key: "z", ctrlKey: true });
  assert.equal(graph.nodes.a!.title, "a", "the first focus, back to before its first keystroke");
});

Deno.test("nodes added from the palette land in free room near the view's centre, never on each other", () => {
  const { engine, graph } = harness(graphOf([node("a", "upscale", 500, 300)]));
  engine.setScreenSize(1200, 800);
  engine.setViewport({ x: 0, y: 0, zoom: 1 });
  const ids = [0, 1, 2, 3, 4].map(() => engine.placeInView("shot.generate")!);
  const rects = ["a", ...ids].map((id) => engine.scene.nodeRect(id)!);
  for (const [i, r] of rects.entries()) {
    for (const other of rects.slice(i + 1)) assert.ok(!rectsIntersect(r, other), "no overlap");
  }
  const centre = { x: 600, y: 400 };
  const first = rects[1]!;
  assert.ok(
    Math.hypot(first.x + first.w / 2 - centre.x, first.y + first.h / 2 - centre.y) < 400,
    "the first one near the centre",
  );
  assert.equal(rects[2]!.y, first.y, "the next beside it, in a row");
  assert.ok(rects[2]!.x > first.x);
  assert.deepEqual([...engine.state.selection], [ids.at(-1)]);
  assert.equal(Object.keys(graph.nodes).length, 6);
});

Deno.test("Ctrl+D puts the copies beside the originals, on nothing", () => {
  const { engine } = harness(twoNodes());
  engine.select(["a"]);
  engine.key({ key: "d", ctrlKey: true });
  engine.key({ key: "d", ctrlKey: true });
  const all = engine.scene.nodesIn({ x: -1e6, y: -1e6, w: 2e6, h: 2e6 });
  assert.equal(all.length, 4);
  const rects = all.map((id) => engine.scene.nodeRect(id)!);
  for (const [i, r] of rects.entries()) {
    for (const other of rects.slice(i + 1)) assert.ok(!rectsIntersect(r, other), "no overlap");
  }
});
