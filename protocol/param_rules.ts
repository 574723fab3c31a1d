/**
 * What each parameter of a node may hold, in words people read ("Steps: a whole number from 1
 * to 150"), and the one check of parameter values shared by the inspector (before it sends a
 * value), the room (refusing an op that would store a bad one) and the edge (Generate), so all
 * three say the same thing.
 *
 * Two questions are kept apart. A value that is present must be valid, always: the room refuses
 * it otherwise. Whether every required value is there is asked only when the node is run: a new
 * node has no prompt yet and must still be creatable.
 *
 * @example
 * ```ts
 * import { paramProblem, paramProblems } from "./param_rules.ts";
 * paramProblem("shot.generate", "steps", 2.5); // "Steps: a whole number from 1 to 150"
 * paramProblems("shot.generate", { steps: 20 }); // [{ key: "prompt", message: "Prompt: required" }]
 * ```
 */
import { z } from "zod";
import { nodeType } from "./nodes.ts";

export type ParamKind = "text" | "textarea" | "integer" | "number" | "enum" | "boolean";

/** One parameter as forms draw it and messages describe it. */
export interface ParamRule {
  key: string;
  label: string;
  kind: ParamKind;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  maxLength?: number;
  pattern?: string;
  options?: readonly string[];
  /** What a valid value is, as a phrase: "a whole number from 1 to 150". */
  rule: string;
}

export interface ParamProblem {
  /** The parameter's name (`steps`), or `(params)` when the problem is not one parameter's. */
  key: string;
  /** For people, naming the field: "Steps: a whole number from 1 to 150". */
  message: string;
}

interface JsonProperty {
  type?: string;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  maxLength?: number;
  pattern?: string;
}

/** Longer strings (prompts) get a multi-line box. */
const TEXTAREA_FROM = 500;
/** Abbreviations that read wrong in sentence case. */
const LABELS: Record<string, string> = { cfg: "CFG", fps: "FPS" };

/** "negativePrompt" → "Negative prompt". */
export function labelFor(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const _n = (n: number) => n >= 1_000 ? n.toLocaleString("en-US") : String(n);

function _range(p: JsonProperty): string {
  if (p.minimum !== undefined && p.maximum !== undefined) {
    return ` from ${_n(p.minimum)} to ${_n(p.maximum)}`;
  }
  if (p.minimum !== undefined) return ` of at least ${_n(p.minimum)}`;
  if (p.maximum !== undefined) return ` of at most ${_n(p.maximum)}`;
  return "";
}

function _list(options: readonly string[]): string {
  return options.length < 2
    ? options.join("")
    : `${options.slice(0, -1).join(", ")} or ${options.at(-1)}`;
}

/** The phrase for a value of this JSON Schema property; `field` gives custom pattern messages. */
function _rule(p: JsonProperty, field: z.ZodType): string {
  if (p.enum) return `one of ${_list(p.enum)}`;
  if (p.type === "boolean") return "on or off";
  if (p.type === "integer") {
    return p.multipleOf && p.multipleOf !== 1
      ? `a multiple of ${p.multipleOf}${_range(p)}`
      : `a whole number${_range(p)}`;
  }
  if (p.type === "number") return `a number${_range(p)}`;
  if (p.pattern !== undefined) {
    // The schema's own words for its pattern ("like SC01"), which a regex cannot give.
    const issue = field.safeParse("\u0000").error?.issues.find((i) => i.code === "invalid_format");
    if (issue) return issue.message;
  }
  return p.maxLength !== undefined ? `up to ${_n(p.maxLength)} characters` : "text";
}

const _rules = new Map<string, ParamRule[]>();

/** The parameters of a node type, in schema order, computed once per type; [] if unknown. */
export function paramRules(type: string): readonly ParamRule[] {
  let rules = _rules.get(type);
  if (rules) return rules;
  const def = nodeType(type);
  rules = [];
  if (def) {
    const json = z.toJSONSchema(def.params, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, JsonProperty>;
      required?: string[];
    };
    const required = new Set(json.required ?? []);
    for (const [key, p] of Object.entries(json.properties ?? {})) {
      rules.push(_ruleOf(key, p, required.has(key), def.params.shape[key] as z.ZodType));
    }
  }
  _rules.set(type, rules);
  return rules;
}

function _ruleOf(key: string, p: JsonProperty, required: boolean, field: z.ZodType): ParamRule {
  const rule: ParamRule = { key, label: labelFor(key), kind: "text", required, rule: "" };
  if (p.default !== undefined) rule.default = p.default;
  rule.rule = _rule(p, field);
  if (p.enum) return { ...rule, kind: "enum", options: p.enum };
  if (p.type === "boolean") return { ...rule, kind: "boolean" };
  if (p.type === "integer" || p.type === "number") {
    if (p.minimum !== undefined) rule.min = p.minimum;
    if (p.maximum !== undefined) rule.max = p.maximum;
    const step = p.multipleOf ?? (p.type === "integer" ? 1 : undefined);
    if (step !== undefined) rule.step = step;
    return { ...rule, kind: p.type };
  }
  if (p.maxLength !== undefined) rule.maxLength = p.maxLength;
  if (p.pattern !== undefined) rule.pattern = p.pattern;
  return { ...rule, kind: (p.maxLength ?? 0) >= TEXTAREA_FROM ? "textarea" : "text" };
}

/** The message for a required value that is missing. */
export function requiredMessage(rule: Pick<ParamRule, "label">): string {
  return `${rule.label}: required`;
}

/**
 * What is wrong with `value` as parameter `key` of a `type` node, or null when it is valid.
 * `undefined` and `null` (a removed value) are never wrong here: requiredness is asked at run.
 */
export function paramProblem(type: string, key: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const def = nodeType(type);
  if (!def) return null; // unknown types are refused as such, elsewhere
  const field = Object.hasOwn(def.params.shape, key)
    ? def.params.shape[key] as z.ZodType
    : undefined;
  const rule = paramRules(type).find((r) => r.key === key);
  if (!field || !rule) return `${key}: ${def.title} nodes have no such parameter`;
  if (field.safeParse(value).success) return null;
  // Blank text in a required field (the prompt is trimmed) is a missing value.
  if (rule.required && typeof value === "string" && value.trim() === "") {
    return requiredMessage(rule);
  }
  return `${rule.label}: ${rule.rule}`;
}

/** Problems of the values `params` holds, each parameter once, in schema order. */
export function presentParamProblems(
  type: string,
  params: Record<string, unknown>,
): ParamProblem[] {
  const order = paramRules(type).map((r) => r.key);
  const keys = Object.keys(params).sort((a, b) =>
    (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity)
  );
  return keys.flatMap((key) => {
    const message = paramProblem(type, key, params[key]);
    return message ? [{ key, message }] : [];
  });
}

/** Every problem that keeps the node from running: bad values and missing required ones. */
export function paramProblems(type: string, params: Record<string, unknown>): ParamProblem[] {
  const missing = paramRules(type)
    .filter((r) => r.required && (params[r.key] === undefined || params[r.key] === null))
    .map((r) => ({ key: r.key, message: requiredMessage(r) }));
  const present = presentParamProblems(type, params);
  const order = paramRules(type).map((r) => r.key);
  return [...missing, ...present].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

/**
 * Why the room must refuse an op storing `params` on a node of `type` (the op's field at `at`
 * and every problem, in one line), or null. Only values present are judged: a missing one may
 * be filled in later.
 */
export function storedParamProblem(
  type: string,
  params: Record<string, unknown>,
  at: string,
): { field: string; reason: string } | null {
  const problems = presentParamProblems(type, params);
  if (problems.length === 0) return null;
  return {
    field: `${at}.${problems[0]!.key}`,
    reason: problems.map((p) => p.message).join("; "),
  };
}
