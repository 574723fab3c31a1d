import assert from "node:assert/strict";
import {
  paramProblem,
  paramProblems,
  presentParamProblems,
  storedParamProblem,
} from "./param_rules.ts";

Deno.test("each bad value is named with its field and rule, written for people", () => {
  const cases: [string, string, unknown, string | null][] = [
    ["shot.generate", "steps", 2.5, "Steps: a whole number from 1 to 150"],
    ["shot.generate", "cfg", 99, "CFG: a number from 0 to 30"],
    ["shot.generate", "seed", 99999999999, "Seed: a whole number from 0 to 4,294,967,295"],
    ["shot.generate", "width", 1004, "Width: a multiple of 8 from 64 to 4,096"],
    ["shot.generate", "scene", "scene one", "Scene: a code like SC01"],
    ["shot.generate", "fps", "24", "FPS: a whole number from 1 to 60"],
    ["upscale", "filter", "nearest", "Filter: one of lanczos, bicubic or spline"],
    ["shot.generate", "prompt", " ", "Prompt: required"],
    ["shot.generate", "colour", "red", "colour: Shot nodes have no such parameter"],
    ["shot.generate", "steps", 20, null],
    ["shot.generate", "seed", null, null],
  ];
  for (const [type, key, value, message] of cases) {
    assert.equal(paramProblem(type, key, value), message, `${type} ${key}=${value}`);
  }
});

Deno.test("values present are checked; required ones only when the node is to run, all at once", () => {
  assert.deepEqual(presentParamProblems("shot.generate", { steps: 20 }), []);
  assert.deepEqual(
    paramProblems("shot.generate", { width: 1004, steps: 0 }).map((p) => p.message),
    [
      "Prompt: required",
      "Steps: a whole number from 1 to 150",
      "Width: a multiple of 8 from 64 to 4,096",
    ],
  );
  assert.deepEqual(paramProblems("image.generate", { prompt: "a door" }), []);
});

Deno.test("stored values are judged by the node's schema, naming the first field and every problem", () => {
  assert.deepEqual(
    storedParamProblem("upscale", { factor: 9, filter: null }, "set.params"),
    { field: "set.params.factor", reason: "Factor: a number from 1 to 4" },
  );
  assert.equal(storedParamProblem("upscale", { factor: 2 }, "set.params"), null);
});
