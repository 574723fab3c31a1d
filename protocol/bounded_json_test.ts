import assert from "node:assert/strict";
import { boundedJsonObject, JSON_LIMITS, jsonBoundsProblem } from "./bounded_json.ts";

/** `levels` arrays around 1, parsed from text (as values arrive), never built recursively. */
const nested = (levels: number) => JSON.parse("[".repeat(levels) + "1" + "]".repeat(levels));

Deno.test("depth counts levels of objects and arrays; the limit itself fits", () => {
  assert.equal(jsonBoundsProblem(1), null);
  assert.equal(jsonBoundsProblem({}), null);
  assert.equal(jsonBoundsProblem(nested(JSON_LIMITS.maxDepth)), null);
  assert.match(jsonBoundsProblem(nested(JSON_LIMITS.maxDepth + 1)) ?? "", /deeper than 32/);
  assert.match(jsonBoundsProblem({ a: { b: [nested(30)] } }) ?? "", /deeper than 32/);
  assert.equal(jsonBoundsProblem({ a: { b: nested(30) } }), null);
});

Deno.test("a value nested 100,000 deep is refused without running out of stack", () => {
  const started = performance.now();
  assert.match(jsonBoundsProblem(nested(100_000)) ?? "", /deeper than 32/);
  assert.ok(performance.now() - started < 1000, "the walk stops at the first level too deep");
});

Deno.test("size is the length of the JSON text", () => {
  const limits = { maxDepth: 4, maxChars: 20 };
  assert.equal(jsonBoundsProblem({ s: "x".repeat(12) }, limits), null); // {"s":"xxxxxxxxxxxx"}
  assert.match(jsonBoundsProblem({ s: "x".repeat(13) }, limits) ?? "", /over 20 characters/);
});

Deno.test("the params schema names the field and says what is wrong", () => {
  const schema = boundedJsonObject();
  assert.ok(schema.safeParse({ prompt: "a door", seed: 3 }).success);
  const deep = schema.safeParse({ d: nested(1000) });
  assert.ok(!deep.success);
  assert.match(deep.error.issues[0]!.message, /nested deeper than 32 levels/);
  const big = schema.safeParse({ s: "x".repeat(JSON_LIMITS.maxChars) });
  assert.ok(!big.success);
  assert.match(big.error.issues[0]!.message, /over 65536 characters/);
  assert.ok(!schema.safeParse([1]).success, "params are an object");
});
