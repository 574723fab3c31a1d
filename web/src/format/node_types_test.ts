import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { matchingTypes, typeTooltip } from "./node_types.ts";

Deno.test("a type's tooltip spells out its sockets; the filter matches titles and descriptions", () => {
  assert.equal(
    typeTooltip(NODE_TYPES["shot.generate"]!),
    "Text to video for one shot. 5 inputs → 1 output",
  );
  assert.match(typeTooltip(NODE_TYPES["asset.style"]!), /0 inputs → 1 output$/);
  assert.equal(matchingTypes("upsc")[0]?.type, "upscale");
  assert.equal(matchingTypes("  ").length, Object.keys(NODE_TYPES).length);
  assert.equal(matchingTypes("restyle")[0]?.type, "style.transfer");
});
