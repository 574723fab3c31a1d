/** `cut.render` is work for agents, never a node on the canvas: the room refuses to create one. */
import assert from "node:assert/strict";
import { emptyGraph } from "../../protocol/graph.ts";
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { applyOp } from "../../protocol/rules/mod.ts";
import { CUT_RENDER } from "../../protocol/work.ts";

Deno.test("cut.render is no node: not in the catalog the palette lists, and the room will not create one", () => {
  assert.ok(!Object.keys(NODE_TYPES).includes(CUT_RENDER));
  const result = applyOp({ graph: emptyGraph(), deleted: new Set() }, {
    type: "node.create",
    node: { id: "r1", type: CUT_RENDER, title: "Render", x: 0, y: 0, params: {} },
  });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.field, "node.type");
});
