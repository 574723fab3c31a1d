/**
 * "Use these settings": the parameter values a take was made with, as an edit of its node. What
 * the backend ran (the take's lineage) goes back to the node, with the seed it actually used, so
 * the next Generate makes the same picture again. Naming (scene, shot, version) stays as the
 * node has it now: the next take files where the node files today. Values today's rules refuse
 * are left out, so the edit is never one the room would reject.
 */
import { NAMING_PARAMS } from "../../../protocol/nodes.ts";
import { paramProblem } from "../../../protocol/param_rules.ts";
import type { Take } from "../api/types.ts";
import { fieldsForType } from "./schema_form.ts";

export function settingsOfTake(type: string, take: Take): Record<string, unknown> {
  const used: Record<string, unknown> = { ...take.lineage.params };
  if (take.lineage.seed !== null) used.seed = take.lineage.seed;
  const settings: Record<string, unknown> = {};
  for (const field of fieldsForType(type)) {
    if (NAMING_PARAMS.includes(field.key) || !(field.key in used)) continue;
    const value = used[field.key];
    if (paramProblem(type, field.key, value) === null) settings[field.key] = value;
  }
  return settings;
}
