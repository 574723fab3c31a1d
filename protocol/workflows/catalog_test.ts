import assert from "node:assert/strict";
import { CATALOG_FILE, catalogText } from "../../scripts/comfyui_classes.ts";
import { CLASS_CATALOG, classInfo } from "./catalog.ts";

Deno.test("the shipped class catalogue is what the recorded /object_info files make", async () => {
  const shipped = JSON.parse(await Deno.readTextFile(CATALOG_FILE));
  assert.deepEqual(
    shipped,
    JSON.parse(await catalogText()),
    "run `deno run -A scripts/comfyui_classes.ts` after changing the recordings",
  );
});

Deno.test("the catalogue holds both versions' classes with input types and output nodes", () => {
  assert.equal(classInfo("KSampler")?.inputs.seed, "INT");
  assert.equal(classInfo("CLIPTextEncode")?.inputs.clip, "CLIP");
  assert.equal(classInfo("SaveVideo")?.output, true);
  assert.deepEqual(classInfo("KSampler")?.versions, ["0.3.64", "0.8.0"]);
  assert.equal(classInfo("ProbeProgress"), undefined, "the recordings' test node is left out");
  assert.equal(classInfo("toString"), undefined);
  const count = Object.keys(CLASS_CATALOG.classes).length;
  assert.ok(count > 560 && count < 700, `${count} classes`);
});
