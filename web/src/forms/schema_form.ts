/**
 * Turns a node type's zod parameter schema into form fields (through zod's JSON Schema output,
 * a public and stable description) and checks values against the schema itself, so the
 * inspector's messages are exactly the ones the edge will give.
 */
import { z } from "zod";
import { nodeType, type NodeTypeDef } from "../../../protocol/nodes.ts";

type ParamSchema = NodeTypeDef["params"];

export type FieldKind = "text" | "textarea" | "integer" | "number" | "enum" | "boolean";

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  maxLength?: number;
  pattern?: string;
  options?: readonly string[];
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

/** "negativePrompt" → "Negative prompt". */
export function labelFor(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function _field(key: string, p: JsonProperty, required: boolean): FieldSpec {
  const spec: FieldSpec = { key, label: labelFor(key), kind: "text", required };
  if (p.default !== undefined) spec.default = p.default;
  if (p.enum) return { ...spec, kind: "enum", options: p.enum };
  if (p.type === "boolean") return { ...spec, kind: "boolean" };
  if (p.type === "integer" || p.type === "number") {
    if (p.minimum !== undefined) spec.min = p.minimum;
    if (p.maximum !== undefined) spec.max = p.maximum;
    spec.step = p.multipleOf ?? (p.type === "integer" ? 1 : undefined);
    if (spec.step === undefined) delete spec.step;
    return { ...spec, kind: p.type };
  }
  if (p.maxLength !== undefined) spec.maxLength = p.maxLength;
  if (p.pattern !== undefined) spec.pattern = p.pattern;
  return { ...spec, kind: (p.maxLength ?? 0) >= TEXTAREA_FROM ? "textarea" : "text" };
}

export function formFields(schema: ParamSchema): FieldSpec[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, p]) => _field(key, p, required.has(key)));
}

const _cache = new Map<string, FieldSpec[]>();

/** The form of a node type, computed once per type; empty for an unknown type. */
export function fieldsForType(type: string): FieldSpec[] {
  let fields = _cache.get(type);
  if (!fields) {
    const def = nodeType(type);
    fields = def ? formFields(def.params) : [];
    _cache.set(type, fields);
  }
  return fields;
}

/**
 * Reads what the user typed into the value to store: numbers are parsed, and an emptied
 * optional field becomes `null`, which removes the parameter. Returns an error message instead
 * when the text is not a number at all (range checks are the schema's job).
 */
export function readInput(
  spec: FieldSpec,
  raw: string | boolean,
): { value: unknown } | { error: string } {
  if (spec.kind === "boolean") return { value: raw === true };
  const text = String(raw);
  if (spec.kind === "integer" || spec.kind === "number") {
    if (text.trim() === "") return { value: null };
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: `${spec.label} must be a number` };
    return { value: n };
  }
  if (text === "" && !spec.required && spec.default === undefined) return { value: null };
  return { value: text };
}

/** Messages by parameter name for values the schema refuses (an empty object when all is well). */
export function validateParams(
  schema: ParamSchema,
  params: Record<string, unknown>,
): Record<string, string> {
  const result = schema.safeParse(params);
  if (result.success) return {};
  const messages: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "(params)";
    // An absent required value reads better as "required" than as zod's type complaint.
    const text = issue.code === "invalid_type" && params[key] === undefined
      ? "required"
      : issue.message;
    messages[key] ??= text;
  }
  return messages;
}
