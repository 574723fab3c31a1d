import assert from "node:assert/strict";
import type { Graph, GraphNode } from "../../../protocol/graph.ts";
import { sharingNaming } from "./shared_naming.ts";

const n = (id: string, type: string, params: Record<string, unknown> = {}): GraphNode => ({
  id,
  type,
  title: id,
  x: 0,
  y: 0,
  params,
});

Deno.test("nodes under the same scene, shot and version are found, defaults included", () => {
  const graph: Graph = {
    nodes: Object.fromEntries([
      n("a", "shot.generate"),
      n("b", "image.generate", { shot: "SHOT-010" }),
      n("c", "shot.generate", { shot: "SHOT-020" }),
      n("d", "shot.generate", { version: 2 }),
      n("e", "asset.character"),
    ].map((x) => [x.id, x])),
    edges: {},
  };
  assert.deepEqual(sharingNaming(graph, "a").map((x) => x.id), ["b"]);
  assert.deepEqual(sharingNaming(graph, "c"), []);
  assert.deepEqual(sharingNaming(graph, "e"), []);
});
