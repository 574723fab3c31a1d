import assert from "node:assert/strict";
import { argText, CommandError, placeholders, renderCommand } from "./command.ts";

Deno.test("each placeholder fills exactly one argv element, whatever its value holds", () => {
  const nasty = [`"; rm -rf /`, "$(id)", "`id`", "line one\nline two", "--output=/etc", "a b"];
  for (const value of nasty) {
    const argv = renderCommand(
      ["python", "run.py", "--prompt", "{prompt}", "--prompt={prompt}", "--out", "{outputs}"],
      new Map([["prompt", value], ["outputs", "/outputs"]]),
    );
    assert.deepEqual(argv, [
      "python",
      "run.py",
      "--prompt",
      value,
      `--prompt=${value}`,
      "--out",
      "/outputs",
    ]);
  }
});

Deno.test("a placeholder glued into a larger element is refused, naming the element", () => {
  for (
    const element of [
      "{prompt}.png",
      "a {prompt} b",
      "{a}{b}",
      "x{prompt}",
      "--p={a}{b}",
      "${HOME}",
    ]
  ) {
    assert.throws(
      () => placeholders(["run", element]),
      (e: Error) =>
        e instanceof CommandError && e.message.startsWith(`command.1: "${element}" puts {`) &&
        /inside a larger argument/.test(e.message),
      element,
    );
  }
  // An option ending in = is the one form a placeholder may share an element with.
  assert.deepEqual(placeholders(["run", "--steps={steps}", "-s={seed}", "{inputs.video}"]), [
    { index: 1, name: "steps", prefix: "--steps=" },
    { index: 2, name: "seed", prefix: "-s=" },
    { index: 3, name: "inputs.video", prefix: "" },
  ]);
  // Braces that are not a placeholder (JSON, digits) are left alone.
  assert.deepEqual(placeholders([`{"a": 1}`, "{1}"]), []);
});

Deno.test("job values become argv text: numbers as JSON writes them, no objects", () => {
  assert.equal(argText(20), "20");
  assert.equal(argText(0.6), "0.6");
  assert.equal(argText(false), "false");
  assert.equal(argText("x"), "x");
  assert.equal(argText(undefined), undefined);
  assert.equal(argText({ a: 1 }), undefined);
  assert.equal(argText(Number.NaN), undefined);
});
