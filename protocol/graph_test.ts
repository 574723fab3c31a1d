import assert from "node:assert/strict";
import { DEFAULT_CUT_FORMAT } from "./cut.ts";
import { graphSchema, salvageGraph } from "./graph.ts";

const cut = (id: string) => ({
  id,
  name: "Main",
  format: { ...DEFAULT_CUT_FORMAT },
  clips: {
    v1: {
      id: "v1",
      kind: "video",
      nodeId: "gone",
      position: "a0",
      in: 0,
      out: 24,
      transition: null,
    },
  },
  audioTracks: {},
});

Deno.test("a stored graph keeps its cuts; a cut that no longer fits is set aside, the rest loads", () => {
  const stored = {
    nodes: {},
    edges: {},
    cuts: { main: cut("main"), bad: { ...cut("bad"), format: { width: 3, height: 2, fps: 0 } } },
  };
  const { graph, setAside } = salvageGraph(stored);
  assert.deepEqual(Object.keys(graph.cuts ?? {}), ["main"]);
  assert.deepEqual(graph.cuts?.["main"], stored.cuts.main);
  assert.equal(setAside.length, 1);
  assert.match(setAside[0]!, /^cut bad: format\./);
  assert.ok(graphSchema.safeParse(graph).success);
  assert.deepEqual(salvageGraph({ nodes: {}, edges: {} }).graph, { nodes: {}, edges: {} });
});
