import assert from "node:assert/strict";
import { MODEL_CONFIG_FIELDS } from "./fields.ts";
import { configSchema } from "./model_config.ts";

Deno.test("the form's fields are exactly the config's, required where the schema has no default", () => {
  const shape = configSchema.shape;
  assert.deepEqual(
    MODEL_CONFIG_FIELDS.map((f) => f.key).sort(),
    Object.keys(shape).sort(),
  );
  for (const f of MODEL_CONFIG_FIELDS) {
    const optional = shape[f.key as keyof typeof shape].safeParse(undefined).success;
    assert.equal(f.required, !optional, f.key);
  }
});
