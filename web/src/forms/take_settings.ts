/**
 * "Use these settings": the parameter values a take was made with, as an edit of its node. What
 * the backend ran (the take's lineage) goes back to the node, with the seed it actually used, so
 * the next Generate makes the same picture again: with the same workflow or Docker model config,
 * pinned at the version the take ran (not the asset's newest). Naming (scene, shot, version)
 * stays as the node has it now: the next take files where the node files today. Values today's rules refuse
 * are left out, so the edit is never one the room would reject.
 */
import {
  MODEL_CONFIG_PARAM,
  MODEL_CONFIG_VERSION_PARAM,
  NAMING_PARAMS,
  WORKFLOW_PARAM,
  WORKFLOW_VERSION_PARAM,
} from "../../../protocol/nodes.ts";
import { paramProblem } from "../../../protocol/param_rules.ts";
import type { Take } from "../api/types.ts";
import { fieldsForType } from "./schema_form.ts";

export function settingsOfTake(type: string, take: Take): Record<string, unknown> {
  const { workflow, modelConfig } = take.lineage;
  const used: Record<string, unknown> = {
    ...take.lineage.params,
    // What ran it: the library asset pinned at the version that ran, or the agents' own
    // backends (null clears what the node runs now). The newest version may differ.
    [WORKFLOW_PARAM]: workflow?.assetId ?? null,
    [WORKFLOW_VERSION_PARAM]: workflow?.version ?? null,
    [MODEL_CONFIG_PARAM]: modelConfig?.assetId ?? null,
    [MODEL_CONFIG_VERSION_PARAM]: modelConfig?.version ?? null,
  };
  if (take.lineage.seed !== null) used.seed = take.lineage.seed;
  const settings: Record<string, unknown> = {};
  for (const field of fieldsForType(type)) {
    if (NAMING_PARAMS.includes(field.key) || !(field.key in used)) continue;
    const value = used[field.key];
    if (paramProblem(type, field.key, value) === null) settings[field.key] = value;
  }
  return settings;
}
