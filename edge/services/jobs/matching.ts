/**
 * Which agents can run which jobs, in plain functions: the requirements of a node type at a
 * tier, whether one agent fits them (and if not, why), why a queued job is waiting, and the best
 * tier the online agents can actually run. The claim statement (claim.ts) applies the same
 * three rules in SQL; these give the explanations people read.
 */
import type { Requirements, WaitReason } from "../../../protocol/jobs.ts";
import type { Backend, NodeTypeDef } from "../../../protocol/nodes.ts";
import { footprintFor, type Tier, tiersAtOrBelow } from "../../../protocol/tiers.ts";

/** What matching needs to know about an agent (the derived columns of `agents`). */
export interface AgentCapability {
  maxVramMiB: number;
  healthyBackends: Backend[];
  models: string[];
}

const BACKEND_NAMES: Record<Backend, string> = {
  comfyui: "ComfyUI",
  wan2gp: "Wan2GP",
  docker: "Docker",
  ffmpeg: "ffmpeg",
};

export function requirementsFor(def: NodeTypeDef, tier: Tier): Requirements {
  const footprint = footprintFor(def.type, tier);
  return { backends: [...def.backends], minVramMiB: footprint.vramMiB, models: footprint.models };
}

/** Null when the agent can run the job; otherwise the first rule it breaks. */
export function misfit(
  agent: AgentCapability,
  req: Requirements,
): Exclude<WaitReason, "no_agent_online" | "agents_busy"> | null {
  if (!req.backends.some((b) => agent.healthyBackends.includes(b))) return "no_backend";
  if (agent.maxVramMiB < req.minVramMiB) return "not_enough_vram";
  if (!req.models.every((m) => agent.models.includes(m))) return "missing_model";
  return null;
}

/** Sizes as cards are sold: a 24564 MiB card, or a 23.5 GiB minimum, reads "24 GB". */
export const gb = (mib: number) => `${Math.round(mib / 1024)} GB`;

/** Why a queued job is not running, given the agents online for its project now. */
export function explainWait(
  online: AgentCapability[],
  req: Requirements,
): { reason: WaitReason; message: string } {
  if (online.length === 0) {
    return {
      reason: "no_agent_online",
      message: "no agent is online for this project: start one with `deno task agent run`",
    };
  }
  if (online.some((a) => misfit(a, req) === null)) {
    return { reason: "agents_busy", message: "waiting for a free agent" };
  }
  const withBackend = online.filter((a) => misfit(a, req) !== "no_backend");
  if (withBackend.length === 0) {
    const names = req.backends.map((b) => BACKEND_NAMES[b]).join(" or ");
    return { reason: "no_backend", message: `no online agent has ${names} running` };
  }
  const largest = Math.max(...withBackend.map((a) => a.maxVramMiB));
  if (largest < req.minVramMiB) {
    return {
      reason: "not_enough_vram",
      message: `needs ${gb(req.minVramMiB)} of VRAM; the largest online GPU has ${gb(largest)}`,
    };
  }
  const missing = req.models.filter((m) => !withBackend.some((a) => a.models.includes(m)));
  return {
    reason: "missing_model",
    message: `no online agent has the model${missing.length === 1 ? "" : "s"} ${
      missing.join(", ") || req.models.join(", ")
    }`,
  };
}

export interface TierChoice {
  tier: Tier;
  requirements: Requirements;
  /** Set when the tier was lowered: "high→standard: largest online GPU 16 GB". */
  rationale: string | null;
}

/**
 * The tier to queue at. Unchanged when some online agent fits the requested tier, when no
 * agent is online (nothing is known yet), or when downgrading is not allowed or does not help.
 */
export function chooseTier(
  def: NodeTypeDef,
  requested: Tier,
  allowDowngrade: boolean,
  online: AgentCapability[],
): TierChoice {
  const asked = { tier: requested, requirements: requirementsFor(def, requested), rationale: null };
  if (!allowDowngrade || online.length === 0) return asked;
  if (online.some((a) => misfit(a, asked.requirements) === null)) return asked;
  for (const tier of tiersAtOrBelow(requested).slice(1)) {
    if (!def.tiers.includes(tier)) continue;
    const requirements = requirementsFor(def, tier);
    if (online.some((a) => misfit(a, requirements) === null)) {
      const why = explainWait(online, asked.requirements);
      const detail = why.reason === "not_enough_vram"
        ? `largest online GPU ${gb(Math.max(...online.map((a) => a.maxVramMiB)))}`
        : why.message;
      return { tier, requirements, rationale: `${requested}→${tier}: ${detail}` };
    }
  }
  return asked;
}
