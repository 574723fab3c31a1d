/**
 * Which agents can run which jobs, in plain functions: the requirements of a node type at a
 * tier, whether one agent fits them (and if not, why), why a queued job is waiting, and the best
 * tier the online agents can actually run. The claim statement (claim_sql.ts) applies these
 * capability rules in SQL, with the ones no explanation needs (membership, leases held, jobs an
 * agent handed back as `cannotRun`); these give the explanations people read.
 */
import type {
  BlockedWork,
  ModelFile,
  Requirements,
  WaitReason,
  Work,
} from "../../../protocol/jobs.ts";
import type { Backend } from "../../../protocol/nodes.ts";
import { footprintFor, minVramMiB, type Tier, tiersAtOrBelow } from "../../../protocol/tiers.ts";
import { CUT_RENDER, JOB_TYPES, type WorkDef } from "../../../protocol/work.ts";

/** What matching needs to know about an agent (the derived columns of `agents`). */
export interface AgentCapability {
  maxVramMiB: number;
  healthyBackends: Backend[];
  models: string[];
  /** `nodeType:tier` pairs it can run now (`workKey`). */
  runnable: string[];
  /** Pairs its healthy backends have templates for but cannot run, with what they lack. */
  blocked?: (BlockedWork & { backend: Backend })[];
  /**
   * For runnable pairs (`workKey`): the job parameters its templates read; null or absent when
   * not known (a backend without templates, an older agent): every parameter counts.
   */
  params?: Record<string, string[] | null>;
  /** The pool it runs in (services/fleet), when known: "why is my job waiting" names it. */
  pool?: { id: string; name: string };
  /** Holding as many jobs as it runs at once. */
  busy?: boolean;
}

/** How a (node type, tier) pair is written in `agents.runnable`. */
export const workKey = (nodeType: string, tier: Tier) => `${nodeType}:${tier}`;

/**
 * In `agents.runnable`: the agent's ComfyUI runs workflow assets. A job with a workflow is
 * matched on this (and its models and VRAM) instead of its node type's pair.
 */
export const WORKFLOW_WORK = "workflow:comfyui";

/**
 * In `agents.runnable`: the agent's Docker backend runs the studio's model config assets. A job
 * with a model config is matched on this (and its VRAM) instead of its node type's pair.
 */
export const MODEL_CONFIG_WORK = "model-config:docker";

/** Work keys that are not a (node type, tier) pair. */
export const RUNNER_WORK: readonly string[] = [WORKFLOW_WORK, MODEL_CONFIG_WORK];

/** The requirements of a job that runs a model config asset: Docker and the config's VRAM. */
export function modelConfigRequirements(vramMiB: number): Requirements {
  return { backends: ["docker"], minVramMiB: vramMiB, models: [] };
}

/** The workflow asset a job runs, as matching and its explanations need it. */
export interface WorkflowNeed {
  name: string;
  version: number;
  models: ModelFile[];
}

/** What a job is: its node type and tier, and the workflow asset it runs, if any. */
export type JobWork = Work & {
  workflow?: WorkflowNeed | null;
  /** The model config asset it runs in Docker, if any. */
  modelConfig?: { name: string; version: number } | null;
};

/** The requirements of a job that runs a workflow asset: ComfyUI, the tier's GPU, its models. */
export function workflowRequirements(tier: Tier, models: readonly ModelFile[]): Requirements {
  return {
    backends: ["comfyui"],
    minVramMiB: minVramMiB(tier),
    models: [...new Set(models.map((m) => m.file))],
  };
}

const BACKEND_NAMES: Record<Backend, string> = {
  comfyui: "ComfyUI",
  wan2gp: "Wan2GP",
  docker: "Docker",
  ffmpeg: "ffmpeg",
  gradio: "a Gradio app",
};

export function requirementsFor(def: WorkDef, tier: Tier): Requirements {
  const footprint = footprintFor(def.type, tier);
  return { backends: [...def.backends], minVramMiB: footprint.vramMiB, models: footprint.models };
}

/** Null when the agent can run the job; otherwise the first rule it breaks. */
export function misfit(
  agent: AgentCapability,
  req: Requirements,
  work: JobWork,
): Exclude<WaitReason, "no_agent_online" | "agents_busy"> | null {
  if (!req.backends.some((b) => agent.healthyBackends.includes(b))) return "no_backend";
  if (agent.maxVramMiB < req.minVramMiB) return "not_enough_vram";
  if (!req.models.every((m) => agent.models.includes(m))) return "missing_model";
  if (work.workflow) return agent.runnable.includes(WORKFLOW_WORK) ? null : "no_template";
  if (work.modelConfig) {
    return agent.runnable.includes(MODEL_CONFIG_WORK) ? null : "no_template";
  }
  if (agent.runnable.includes(workKey(work.nodeType, work.tier))) return null;
  const blocked = closestBlocked([agent], work);
  if (!blocked) return "no_template";
  return blocked.missingModels.length > 0 ? "missing_model" : "missing_node";
}

/** Among the agents' templates for the pair, the one with the fewest things missing. */
function closestBlocked(agents: AgentCapability[], work: Work) {
  const entries = agents.flatMap((a) => a.blocked ?? []).filter((b) =>
    b.nodeType === work.nodeType && b.tier === work.tier
  );
  const size = (b: BlockedWork) => b.missingModels.length + b.missingClasses.length;
  return entries.sort((a, b) => size(a) - size(b))[0];
}

const code = (names: string[]) => names.map((n) => `\`${n}\``).join(" and ");

/**
 * Job types (protocol/work.ts) are built into the agent, not read from a templates folder: an
 * agent with the backend that does not advertise one predates it, so the fix is an update.
 */
const JOB_TYPE_VERBS: Record<string, string> = { [CUT_RENDER]: "render cuts" };

/** Why no online agent advertises the pair, in words naming what to install where. */
function whyNotRunnable(agents: AgentCapability[], work: Work) {
  const at = `${work.nodeType} at ${work.tier}`;
  const jobType = Object.hasOwn(JOB_TYPES, work.nodeType) ? JOB_TYPES[work.nodeType] : undefined;
  if (jobType) {
    const verb = JOB_TYPE_VERBS[jobType.type] ?? `run ${jobType.title} jobs`;
    const backends = jobType.backends.map((b) => BACKEND_NAMES[b]).join(" or ");
    return {
      reason: "no_template" as const,
      message: `no online agent can ${verb} (${jobType.type}): update the agent; an agent ` +
        `with ${backends} from this release runs them`,
    };
  }
  const blocked = closestBlocked(agents, work);
  if (!blocked) {
    return {
      reason: "no_template" as const,
      message: `no online agent has a template for ${at}: add one to its templates folder ` +
        `(gpu-agent/README.md, "Adding a template")`,
    };
  }
  const name = BACKEND_NAMES[blocked.backend];
  const parts: string[] = [];
  if (blocked.missingClasses.length > 0) {
    parts.push(
      `no online agent's ${name} has the node ${code(blocked.missingClasses)} for ${at}; ` +
        `install the custom node that provides it and restart ${name}`,
    );
  }
  if (blocked.missingModels.length > 0) {
    const files = blocked.missingModels.map((m) => m.file);
    // ComfyUI keeps models under models/<folder>; Wan2GP names its own folder (ckpts).
    const where = (folder: string) => blocked.backend === "comfyui" ? `models/${folder}` : folder;
    const folders = [...new Set(blocked.missingModels.map((m) => where(m.folder)))];
    parts.push(
      `${parts.length ? "and" : "no online agent has"} ${code(files)} for ${at}; put ${
        files.length === 1 ? "it" : "them"
      } in ${name}'s ${folders.join(" and ")}`,
    );
  }
  return {
    reason: blocked.missingClasses.length > 0 ? "missing_node" as const : "missing_model" as const,
    message: parts.join("; "),
  };
}

/** Sizes as cards are sold: a 24564 MiB card, or a 23.5 GiB minimum, reads "24 GB". */
export const gb = (mib: number) => `${Math.round(mib / 1024)} GB`;

/** Why no online agent takes a workflow job whose backend, VRAM and models some agent has. */
/** Why no online agent takes a model config job whose backend and VRAM some agent has. */
function whyNotModelConfig(
  agents: AgentCapability[],
  config: NonNullable<JobWork["modelConfig"]>,
) {
  return agents.some((a) => a.runnable.includes(MODEL_CONFIG_WORK))
    ? { reason: "agents_busy" as const, message: "waiting for a free agent" }
    : {
      reason: "no_template" as const,
      message: `no online agent runs model config assets (model config "${config.name}" ` +
        `v${config.version}): update the agent, and create its models folder`,
    };
}

function whyNotWorkflow(agents: AgentCapability[], workflow: WorkflowNeed) {
  return agents.some((a) => a.runnable.includes(WORKFLOW_WORK))
    ? { reason: "agents_busy" as const, message: "waiting for a free agent" }
    : {
      reason: "no_template" as const,
      message: `no online agent runs workflow assets (workflow "${workflow.name}" ` +
        `v${workflow.version}): update the agent and start its ComfyUI`,
    };
}

/** "no online agent has `a.safetensors` …": the workflow's missing files and where they go. */
function missingWorkflowModels(missing: string[], workflow: WorkflowNeed): string {
  const refs = workflow.models.filter((m) => missing.includes(m.file));
  const folders = [...new Set(refs.map((m) => `models/${m.folder}`))];
  return `no online agent has ${code(missing)} (workflow "${workflow.name}" v${workflow.version} ` +
    `needs ${missing.length === 1 ? "it" : "them"}): put ${
      missing.length === 1 ? "it" : "them"
    } in ComfyUI's ${folders.join(" and ")}`;
}

/** Why a queued job is not running, given the agents online for its project now. */
export function explainWait(
  online: AgentCapability[],
  req: Requirements,
  work: JobWork,
): { reason: WaitReason; message: string } {
  if (online.length === 0) {
    return {
      reason: "no_agent_online",
      message: "no agent is online for this project: start one with `deno task agent run`",
    };
  }
  if (online.some((a) => misfit(a, req, work) === null)) {
    return { reason: "agents_busy", message: "waiting for a free agent" };
  }
  const withBackend = online.filter((a) => misfit(a, req, work) !== "no_backend");
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
  const fitting = withBackend.filter((a) => a.maxVramMiB >= req.minVramMiB);
  const withModels = fitting.filter((a) => req.models.every((m) => a.models.includes(m)));
  if (withModels.length === 0) {
    const missing = req.models.filter((m) => !fitting.some((a) => a.models.includes(m)));
    return {
      reason: "missing_model",
      message: work.workflow
        ? missingWorkflowModels(missing.length ? missing : req.models, work.workflow)
        : `no online agent has the model${missing.length === 1 ? "" : "s"} ${
          missing.join(", ") || req.models.join(", ")
        }`,
    };
  }
  if (work.workflow) return whyNotWorkflow(withModels, work.workflow);
  if (work.modelConfig) return whyNotModelConfig(withModels, work.modelConfig);
  return whyNotRunnable(withModels, work);
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
  def: WorkDef,
  requested: Tier,
  allowDowngrade: boolean,
  online: AgentCapability[],
  /** The requirements at a tier (learned footprints: services/fleet/footprints.ts). */
  needs: (tier: Tier) => Requirements = (tier) => requirementsFor(def, tier),
): TierChoice {
  const asked = { tier: requested, requirements: needs(requested), rationale: null };
  if (!allowDowngrade || online.length === 0) return asked;
  const work = (tier: Tier) => ({ nodeType: def.type, tier });
  if (online.some((a) => misfit(a, asked.requirements, work(requested)) === null)) return asked;
  for (const tier of tiersAtOrBelow(requested).slice(1)) {
    if (!def.tiers.includes(tier)) continue;
    const requirements = needs(tier);
    if (online.some((a) => misfit(a, requirements, work(tier)) === null)) {
      const why = explainWait(online, asked.requirements, work(requested));
      const detail = why.reason === "not_enough_vram"
        ? `largest online GPU ${gb(Math.max(...online.map((a) => a.maxVramMiB)))}`
        : why.message;
      return { tier, requirements, rationale: `${requested}→${tier}: ${detail}` };
    }
  }
  return asked;
}
