/**
 * Free-form JSON that clients store (asset params, node params, job params, the graph's nodes)
 * has a bounded depth and size, checked wherever such a value is accepted: the edge's request
 * schemas and the room's op parsing both use these schemas.
 *
 * Why bounds: SQLite's JSON functions refuse text nested deeper than 1,000 levels, so one deep
 * value stored by one user made every statement that builds JSON from it fail; and recursive
 * code (structuredClone, Durable Object storage) throws on values nested some thousands deep.
 * The check itself walks the value with an explicit stack, so a 100,000-deep value costs a loop
 * that stops at the first level past the limit, never the call stack.
 *
 * @example
 * ```ts
 * import { boundedJsonObject } from "./bounded_json.ts";
 * const params = boundedJsonObject();
 * params.safeParse({ d: [[[1]]] }).success; // true
 * ```
 */
import { z } from "zod";

export interface JsonLimits {
  /** Levels of objects and arrays: `1` and `"a"` have depth 0, `{}` 1, `{"a": [1]}` 2. */
  maxDepth: number;
  /** Length of the value's JSON text (UTF-16 code units, as `MAX_MESSAGE_CHARS` counts). */
  maxChars: number;
}

/** What every stored free-form value must fit: far below SQLite's 1,000 levels. */
export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxChars: 64 * 1024 };

/**
 * Why `value` does not fit `limits` (a phrase that reads after the field's name), or null when
 * it fits. Never throws, whatever the value's depth.
 */
export function jsonBoundsProblem(value: unknown, limits: JsonLimits = JSON_LIMITS): string | null {
  if (_depthOver(value, limits.maxDepth)) {
    return `is nested deeper than ${limits.maxDepth} levels`;
  }
  // Safe now: the depth is bounded, so stringify cannot run out of stack.
  const text = JSON.stringify(value);
  if (text !== undefined && text.length > limits.maxChars) {
    return `is over ${limits.maxChars} characters of JSON`;
  }
  return null;
}

/** Any JSON value within `limits`. */
export function boundedJson(limits: JsonLimits = JSON_LIMITS) {
  return z.unknown().superRefine((value, ctx) => _check(value, limits, ctx));
}

/** A JSON object (keys as `key` allows, any values) within `limits`, as params are. */
export function boundedJsonObject(
  key: z.ZodType<string, string> = z.string(),
  limits: JsonLimits = JSON_LIMITS,
) {
  return z.record(key, z.unknown()).superRefine((value, ctx) => _check(value, limits, ctx));
}

function _check(value: unknown, limits: JsonLimits, ctx: z.RefinementCtx): void {
  const problem = jsonBoundsProblem(value, limits);
  if (problem) ctx.addIssue({ code: "custom", message: `value ${problem}` });
}

/** Whether any object or array in `value` lies more than `max` levels down. */
function _depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}
