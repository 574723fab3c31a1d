import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { fieldsForType, readInput } from "./schema_form.ts";

const field = (type: string, key: string) => fieldsForType(type).find((f) => f.key === key)!;

Deno.test("the shot form has every parameter with its kind, range, default and rule", () => {
  const fields = fieldsForType("shot.generate");
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
  assert.deepEqual(Object.keys(byKey), Object.keys(NODE_TYPES["shot.generate"]!.params.shape));
  assert.deepEqual(byKey.prompt, {
    key: "prompt",
    label: "Prompt",
    kind: "textarea",
    required: true,
    maxLength: 4000,
    rule: "up to 4,000 characters",
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
    rule: "a multiple of 8 from 64 to 4,096",
  });
  assert.equal(byKey.cfg!.kind, "number");
  assert.equal(byKey.cfg!.label, "CFG");
  assert.equal(byKey.cfg!.step, undefined);
  assert.equal(byKey.scene!.pattern, "^SC\\d{2,3}$");
  assert.equal(byKey.scene!.rule, "a code like SC01");
});

Deno.test("enums become choices; unknown types have no fields", () => {
  const filter = field("upscale", "filter");
  assert.deepEqual([filter.kind, filter.options], ["enum", ["lanczos", "bicubic", "spline"]]);
  assert.equal(filter.rule, "one of lanczos, bicubic or spline");
  assert.deepEqual(fieldsForType("nope"), []);
});

Deno.test("typed text becomes the stored value, or the rule it breaks in words; emptied is removed", () => {
  const type = "shot.generate";
  assert.deepEqual(readInput(type, field(type, "seed"), "42"), { value: 42 });
  assert.deepEqual(readInput(type, field(type, "seed"), ""), { value: null });
  assert.deepEqual(readInput(type, field(type, "seed"), "4x"), {
    error: "Seed: a whole number from 0 to 4,294,967,295",
  });
  assert.deepEqual(readInput(type, field(type, "steps"), "2.5"), {
    error: "Steps: a whole number from 1 to 150",
  });
  assert.deepEqual(readInput(type, field(type, "width"), "1004"), {
    error: "Width: a multiple of 8 from 64 to 4,096",
  });
  assert.deepEqual(readInput(type, field(type, "prompt"), "  "), { value: null });
  assert.deepEqual(readInput(type, field(type, "prompt"), "x".repeat(4001)), {
    error: "Prompt: up to 4,000 characters",
  });
});
