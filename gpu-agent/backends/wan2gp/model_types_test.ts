import assert from "node:assert/strict";
import { installFakeWan2gp } from "../../../test/fakes/wan2gp/install.ts";
import { checkModelTypes, pickModelType, SHOT_MODEL_TYPES } from "./model_types.ts";

Deno.test("a model type has its weights when each of its lists has a file in ckpts/", async () => {
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  // Wan 2.2 14B needs both transformers: with only the high-noise one it is not installed.
  await Deno.writeFile(
    `${wan2gp.dir}/ckpts/wan2.2_text2video_14B_high_mbf16.safetensors`,
    new Uint8Array(),
  );
  const checks = await checkModelTypes(wan2gp.dir, ["t2v_1.3B", "t2v_2_2", "ti2v_2_2", "nope"]);
  const by = Object.fromEntries(checks.map((c) => [c.modelType, c]));
  assert.equal(by["t2v_1.3B"]!.installed, true);
  assert.equal(by["t2v_1.3B"]!.name, "Wan2.1 Text2video 1.3B");
  assert.equal(by["t2v_2_2"]!.installed, false);
  assert.deepEqual(by["t2v_2_2"]!.missingFiles, [
    "wan2.2_text2video_14B_low_quanto_mfp16_int8.safetensors",
  ]);
  assert.deepEqual(by["ti2v_2_2"]!.missingFiles, [
    "wan2.2_text2video_5B_quanto_mbf16_int8.safetensors",
  ]);
  assert.deepEqual(by["nope"], {
    modelType: "nope",
    name: null,
    installed: false,
    missingFiles: [],
  });
});

Deno.test("a shot takes the best installed type of its tier; a start image picks an image type", () => {
  const installed = new Set(["t2v_1.3B", "ti2v_2_2", "i2v"]);
  assert.deepEqual(pickModelType("low", false, installed), {
    modelType: "t2v_1.3B",
    usesImage: false,
  });
  assert.deepEqual(pickModelType("low", true, installed), {
    modelType: "ti2v_2_2",
    usesImage: true,
  });
  assert.deepEqual(pickModelType("standard", true, new Set(["i2v"])), {
    modelType: "i2v",
    usesImage: true,
  });
  // No image type at the tier: text to video, the reference unused (as ComfyUI's low tier does).
  assert.deepEqual(pickModelType("high", true, new Set(["t2v"])), {
    modelType: "t2v",
    usesImage: false,
  });
  assert.equal(pickModelType("high", false, installed), null);
  for (const table of Object.values(SHOT_MODEL_TYPES)) assert.ok(table.text.length > 0);
});
