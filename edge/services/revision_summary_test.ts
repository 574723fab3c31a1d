import assert from "node:assert/strict";
import type { Graph, GraphNode } from "../../protocol/graph.ts";
import { describeRevision, graphChanges, nodeLabel } from "./revision_summary.ts";

const shot = (id: string, params: Record<string, unknown> = {}, at = 0): GraphNode => ({
  id,
  type: "shot.generate",
  title: "Shot",
  x: at,
  y: 0,
  params: { shot: "SHOT-010", prompt: "door", ...params },
});
const graph = (nodes: GraphNode[], edges: Graph["edges"] = {}): Graph => ({
  nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
  edges,
});

Deno.test("a node is named by its type and shot code, or its own title", () => {
  assert.equal(nodeLabel(shot("a")), "Shot SHOT-010");
  assert.equal(nodeLabel({ ...shot("a"), title: "Opening" }), 'Shot "Opening"');
  assert.equal(nodeLabel({ ...shot("a"), params: {} }), "Shot SHOT-010", "the default shot");
  assert.equal(
    nodeLabel({ id: "c", type: "asset.character", title: "Character", x: 0, y: 0, params: {} }),
    "Character",
  );
});

Deno.test("a revision says who moved, changed, added, deleted and connected what", () => {
  const before = graph([
    shot("a"),
    shot("b", { shot: "SHOT-020" }),
    shot("c", { shot: "SHOT-030" }),
  ]);
  const after = graph([
    shot("a", { prompt: "a red door" }, 50),
    shot("b", { shot: "SHOT-020" }, 50),
    shot("c", { shot: "SHOT-030" }, 50),
  ]);
  assert.equal(
    describeRevision({
      before,
      after,
      authors: ["Ben"],
      message: "Live edits 46-46 on the canvas",
    }),
    "Ben moved 3 nodes, changed the prompt of Shot SHOT-010",
  );
  const grown = graph(
    [...Object.values(after.nodes), { ...shot("d", { shot: "SHOT-040" }), title: "Finale" }],
    {
      e1: {
        id: "e1",
        from: { node: "a", socket: "video" },
        to: { node: "d", socket: "reference" },
      },
    },
  );
  assert.deepEqual(graphChanges(after, grown), [
    'added Shot "Finale"',
    'connected Shot SHOT-010 to Shot "Finale"',
  ]);
  assert.deepEqual(graphChanges(grown, after), [
    'deleted Shot "Finale"',
    'disconnected Shot SHOT-010 from Shot "Finale"',
  ]);
  const renamed = graph([{
    ...shot("a"),
    title: "Door",
    params: { ...shot("a").params, seed: 4, steps: 30, cfg: 5, negativePrompt: "x" },
  }]);
  assert.deepEqual(graphChanges(graph([shot("a")]), renamed), [
    'renamed Shot SHOT-010 to "Door"',
    'changed the seed, steps and 2 more of Shot "Door"',
  ]);
});

Deno.test("several authors are named together; reverts and no-ops say so", () => {
  const g = graph([shot("a")]);
  assert.equal(
    describeRevision({ before: g, after: g, authors: ["Ana", "Ben", "Cleo"], message: "x" }),
    "Ana, Ben and Cleo changed nothing on the canvas",
  );
  assert.equal(
    describeRevision({ before: graph([]), after: g, authors: [], message: "Revert to revision 2" }),
    "Someone reverted the canvas to revision 2: added Shot SHOT-010",
  );
  assert.equal(
    describeRevision({ before: null, after: g, authors: ["Ana", "Ben"], message: "seeded" }),
    "Ana and Ben added Shot SHOT-010",
  );
});

Deno.test("a revision names the cuts it made, edited and deleted", () => {
  const cut = (id: string, name: string, out = 24) => ({
    id,
    name,
    format: { width: 1280, height: 720, fps: 24 },
    clips: {
      v1: {
        id: "v1",
        kind: "video" as const,
        nodeId: "a",
        position: "a0",
        in: 0,
        out,
        transition: null,
      },
    },
    audioTracks: {},
  });
  const before = { ...graph([shot("a")]), cuts: { m: cut("m", "Main"), o: cut("o", "Old") } };
  const after = {
    ...graph([shot("a")]),
    cuts: { m: cut("m", "Main", 12), t: cut("t", "Trailer") },
  };
  assert.deepEqual(graphChanges(before, after), [
    'edited the cut "Main"',
    'made the cut "Trailer"',
    'deleted the cut "Old"',
  ]);
  assert.deepEqual(graphChanges(after, after), []);
});
