import assert from "node:assert/strict";
import { cutRenderParamsSchema } from "./cut.ts";
import { NODE_TYPES, nodeType } from "./nodes.ts";
import { footprintFor } from "./tiers.ts";
import { CUT_RENDER, WORK_TYPES, workType } from "./work.ts";

Deno.test("cut.render is work agents run, on ffmpeg at the CPU tier, with the cut's render params", () => {
  const def = workType(CUT_RENDER);
  assert.deepEqual([def?.backends, def?.tiers, def?.output], [["ffmpeg"], ["standard"], "video"]);
  assert.equal(def?.params, cutRenderParamsSchema);
  assert.equal(footprintFor(CUT_RENDER, "standard").vramMiB, 0, "no GPU needed");
  assert.ok(WORK_TYPES.some((w) => w.type === CUT_RENDER));
  // Executable nodes are work too; nodes that never run are not.
  assert.equal(workType("upscale"), NODE_TYPES["upscale"]);
  assert.equal(workType("asset.character"), undefined);
  assert.equal(workType("nope"), undefined);
  // It is no node: the catalog the palette and the room read does not hold it.
  assert.equal(nodeType(CUT_RENDER), undefined);
});
