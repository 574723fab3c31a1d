import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { fieldsForType, labelFor, readInput, validateParams } from "./schema_form.ts";

Deno.test("the shot form has every parameter with its kind, range and default", () => {
  const fields = fieldsForType("shot.generate");
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
  assert.deepEqual(Object.keys(byKey), Object.keys(NODE_TYPES["shot.generate"]!.params.shape));
  assert.deepEqual(byKey.prompt, {
    key: "prompt",
    label: "Prompt",
    kind: "textarea",
    required: true,
    maxLength: 4000,
  });
  assert.deepEqual(byKey.width, {
    key: "width",
    label: "Width",
    kind: "integer",
    required: false,
    default: 832,
    min: 64,
    max: 4096,
    step: 8,
  });
  assert.equal(byKey.cfg!.kind, "number");
  assert.equal(byKey.cfg!.step, undefined);
  assert.equal(byKey.scene!.pattern, "^SC\\d{2,3}$");
});

Deno.test("enums become choices; unknown types have no fields", () => {
  const filter = fieldsForType("upscale").find((f) => f.key === "filter")!;
  assert.deepEqual([filter.kind, filter.options], ["enum", ["lanczos", "bicubic", "spline"]]);
  assert.deepEqual(fieldsForType("nope"), []);
});

Deno.test("labels read as words", () => {
  assert.equal(labelFor("negativePrompt"), "Negative prompt");
  assert.equal(labelFor("fps"), "Fps");
});

Deno.test("typed text becomes the stored value; an emptied optional number is removed", () => {
  const seed = fieldsForType("shot.generate").find((f) => f.key === "seed")!;
  assert.deepEqual(readInput(seed, "42"), { value: 42 });
  assert.deepEqual(readInput(seed, ""), { value: null });
  assert.deepEqual(readInput(seed, "4x"), { error: "Seed must be a number" });
  const prompt = fieldsForType("shot.generate").find((f) => f.key === "prompt")!;
  assert.deepEqual(readInput(prompt, ""), { value: "" }, "a required prompt stays, to be flagged");
});

Deno.test("validation names each bad parameter with the schema's own message", () => {
  const schema = NODE_TYPES["shot.generate"]!.params;
  const messages = validateParams(schema, { scene: "scene one", width: 833, steps: 20 });
  assert.equal(messages.prompt, "required");
  assert.equal(messages.scene, "scene looks like SC01");
  assert.match(messages.width!, /multiple of 8/);
  assert.equal(messages.steps, undefined);
  assert.deepEqual(validateParams(schema, { prompt: "a door" }), {});
});
