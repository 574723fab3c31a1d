/**
 * Reads what people type into a node's parameter form. The fields and every message come from
 * protocol/param_rules.ts, so the inspector refuses, before it sends anything, exactly what the
 * room and the edge would refuse, in the same words.
 */
import { paramProblem, type ParamRule, paramRules } from "../../../protocol/param_rules.ts";

export type FieldSpec = ParamRule;

/** The form of a node type (computed once per type); empty for an unknown type. */
export const fieldsForType: (type: string) => readonly FieldSpec[] = paramRules;

/**
 * What the user typed as the value to store, or what is wrong with it. An emptied field becomes
 * `null`, which removes the value: the node then has none (its default applies, or a required
 * one is asked for at Generate), never one the room would refuse.
 */
export function readInput(
  type: string,
  spec: FieldSpec,
  raw: string | boolean,
): { value: unknown } | { error: string } {
  if (spec.kind === "boolean") return { value: raw === true };
  const text = String(raw);
  if (text.trim() === "") return { value: null };
  const value = spec.kind === "integer" || spec.kind === "number" ? Number(text) : text;
  const error = paramProblem(type, spec.key, value);
  return error ? { error } : { value };
}
