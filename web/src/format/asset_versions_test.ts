import assert from "node:assert/strict";
import { versionChanges } from "./asset_versions.ts";

const v = (over: Partial<Parameters<typeof versionChanges>[1]> = {}) => ({
  name: "Rey",
  description: "",
  params: {},
  referenceImageKeys: [],
  ...over,
});

Deno.test("a version says what changed since the one before", () => {
  assert.deepEqual(versionChanges(undefined, v()), ["created"]);
  assert.deepEqual(versionChanges(undefined, v({ referenceImageKeys: ["a"] })), [
    "created with 1 reference image",
  ]);
  assert.deepEqual(
    versionChanges(
      v({ referenceImageKeys: ["a", "b"], params: { seed: 1 } }),
      v({
        name: "Rey Skywalker",
        description: "older",
        referenceImageKeys: ["b", "c", "d"],
        params: { seed: 2, negativePrompt: "x" },
      }),
    ),
    [
      "renamed to Rey Skywalker",
      "changed the description",
      "changed seed, negative prompt",
      "added 2 reference images",
      "removed 1 reference image",
    ],
  );
  assert.deepEqual(versionChanges(v(), v()), ["no changes"]);
});
