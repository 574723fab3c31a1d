/**
 * What the agents online for a project can run, per node type and tier, told before anyone
 * presses Generate: how many agents can run it, why none can (the words a queued job would
 * wait with), where Generate would run it instead (a lower tier, and why), and which
 * parameters the templates that would run it read; and the same for each workflow asset and
 * each Docker model config asset.
 */
import type {
  ModelConfigAvailability,
  WorkAvailability,
  WorkflowAvailability,
} from "../../../protocol/jobs.ts";
import { isExecutable, NODE_TYPES } from "../../../protocol/nodes.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import {
  type AgentCapability,
  chooseTier,
  explainWait,
  misfit,
  modelConfigRequirements,
  requirementsFor,
  workflowRequirements,
  workKey,
} from "./matching.ts";
import type { WorkflowAssetParams } from "../../../protocol/workflows/mod.ts";
import type { CurrentModelConfig } from "../model_config_assets.ts";

/** The parameters the templates of `agents` read for a pair; null when any of them does not say. */
function _params(agents: AgentCapability[], nodeType: string, tier: Tier): string[] | null {
  const key = workKey(nodeType, tier);
  const lists = agents.map((a) => a.params?.[key] ?? null);
  if (lists.length === 0 || lists.includes(null)) return null;
  return [...new Set(lists.flatMap((list) => list!))].sort();
}

export function availability(online: AgentCapability[]): WorkAvailability[] {
  return Object.values(NODE_TYPES).filter(isExecutable).flatMap((def) =>
    def.tiers.map((tier): WorkAvailability => {
      const requirements = requirementsFor(def, tier);
      const work = { nodeType: def.type, tier };
      const able = online.filter((a) => misfit(a, requirements, work) === null);
      if (able.length > 0) {
        const params = _params(able, def.type, tier);
        return { ...work, agents: able.length, blocked: null, downgrade: null, params };
      }
      const lower = chooseTier(def, tier, true, online);
      const downgrade = lower.tier !== tier && lower.rationale
        ? { tier: lower.tier, rationale: lower.rationale }
        : null;
      const runners = downgrade
        ? online.filter((a) =>
          misfit(a, lower.requirements, { nodeType: def.type, tier: downgrade.tier }) === null
        )
        : [];
      return {
        ...work,
        agents: 0,
        blocked: explainWait(online, requirements, work),
        downgrade,
        params: downgrade ? _params(runners, def.type, downgrade.tier) : null,
      };
    })
  );
}

/** A workflow asset as it is now, for `workflowAvailability`. */
export interface CurrentWorkflow {
  id: string;
  name: string;
  version: number;
  params: WorkflowAssetParams;
}

/** Whether and why not the online agents can run each workflow, as its job would be matched. */
export function workflowAvailability(
  online: AgentCapability[],
  workflows: CurrentWorkflow[],
): WorkflowAvailability[] {
  return workflows.map(({ id, name, version, params }) => {
    const { nodeType, tier, binding } = params;
    const work = { nodeType, tier, workflow: { name, version, models: binding.models } };
    const requirements = workflowRequirements(tier, binding.models);
    const agents = online.filter((a) => misfit(a, requirements, work) === null).length;
    return {
      assetId: id,
      name,
      version,
      nodeType,
      tier,
      agents,
      blocked: agents > 0 ? null : explainWait(online, requirements, work),
      downgrade: null,
      params: Object.keys(binding.params).sort(),
    };
  });
}

/** Whether and why not the online agents can run each model config, as its job would be matched. */
export function modelConfigAvailability(
  online: AgentCapability[],
  configs: CurrentModelConfig[],
): ModelConfigAvailability[] {
  return configs.map(({ id, name, version, checked }) => {
    const first = checked.pairs[0]!;
    // Matching a model config job reads neither its node type nor its tier: any pair will do.
    const work = { ...first, modelConfig: { name, version } };
    const requirements = modelConfigRequirements(checked.vramMiB);
    const agents = online.filter((a) => misfit(a, requirements, work) === null).length;
    return {
      assetId: id,
      name,
      version,
      pairs: checked.pairs,
      vramMiB: checked.vramMiB,
      network: checked.network,
      agents,
      blocked: agents > 0 ? null : explainWait(online, requirements, work),
      params: checked.params,
    };
  });
}
