/**
 * What a node says about running before anyone presses Generate: whether an agent online for
 * the project can run it at the chosen tier (or the workflow asset it runs, at the workflow's
 * tier; or the Docker model config it runs, at the node's tier), and if not, why and what
 * Generate would do. Pure, so the words people read are tested.
 */
import { tierMismatch } from "../../../protocol/docker_models/tiers.ts";
import type {
  ModelConfigAvailability,
  WorkAvailability,
  WorkflowAvailability,
} from "../../../protocol/jobs.ts";
import type { Tier } from "../../../protocol/tiers.ts";

/** A Docker model config asset as one node would run it: on its node type, at its tier. */
export type ModelConfigRun = ModelConfigAvailability & { nodeType: string; tier: Tier };

export interface AvailabilityNote {
  /** ok: it runs now; lower: it runs at a lower tier; waits: nobody can run it now. */
  tone: "ok" | "lower" | "waits" | "unknown";
  text: string;
}

const agents = (n: number) => `${n} agent${n === 1 ? "" : "s"}`;

export function availabilityNote(
  work: WorkAvailability | WorkflowAvailability | ModelConfigRun | null,
  tier: Tier,
): AvailabilityNote {
  if (!work) return { tone: "unknown", text: "Checking which agents can run this…" };
  if ("pairs" in work) return modelConfigNote(work);
  if ("assetId" in work) return workflowNote(work);
  if (work.agents > 0) {
    return { tone: "ok", text: `Ready: ${agents(work.agents)} online can run this at ${tier}.` };
  }
  const why = work.blocked?.message ?? "no online agent can run it";
  if (work.downgrade) {
    return {
      tone: "lower",
      text: `Runs at ${work.downgrade.tier}, not ${tier}: ${why}.`,
    };
  }
  return {
    tone: "waits",
    text: `No online agent can run this at ${tier}: ${why}. Generate queues it until one can.`,
  };
}

/** A node that runs a workflow asset: that workflow, at its own tier (never lowered). */
function workflowNote(work: WorkflowAvailability): AvailabilityNote {
  const which = `your workflow "${work.name}"`;
  if (work.agents > 0) {
    return {
      tone: "ok",
      text: `Ready: ${
        agents(work.agents)
      } online can run ${which} (v${work.version}, ${work.tier}).`,
    };
  }
  const why = work.blocked?.message ?? "no online agent can run it";
  return {
    tone: "waits",
    // The reason early: the card shows two lines (the model file no agent has, usually).
    text: `${which[0]!.toUpperCase()}${which.slice(1)} (${work.tier}) waits: ${why}. ` +
      `Generate queues it until one can.`,
  };
}

/**
 * A node that runs a Docker model config: at the node's tier, which the config must implement
 * (the edge refuses the job otherwise, in the same words), on an agent whose Docker runs the
 * studio's configs with the VRAM it needs.
 */
function modelConfigNote(work: ModelConfigRun): AvailabilityNote {
  const which = `your Docker model "${work.name}" (v${work.version})`;
  const Which = `${which[0]!.toUpperCase()}${which.slice(1)}`;
  const mismatch = tierMismatch(work.name, work.nodeType, work.pairs, work.tier);
  if (mismatch) {
    return { tone: "waits", text: `${Which} cannot run this: ${mismatch}. Choose another tier.` };
  }
  if (work.network) {
    return {
      tone: "waits",
      text: `${Which} asks for network access, which agents never give a model config from ` +
        `the studio: its job would fail. Turn network off in the config.`,
    };
  }
  if (work.agents > 0) {
    return { tone: "ok", text: `Ready: ${agents(work.agents)} online can run ${which}.` };
  }
  const why = work.blocked?.message ?? "no online agent can run it";
  return { tone: "waits", text: `${Which} waits: ${why}. Generate queues it until one can.` };
}

/** A take's tier as it ran, with the one asked for and why, when the edge lowered it. */
export function downgradeNote(
  lineage: { tier: Tier; requestedTier?: Tier; rationale?: string | null },
): string | null {
  if (!lineage.requestedTier || lineage.requestedTier === lineage.tier) return null;
  return `Ran at ${lineage.tier}, not ${lineage.requestedTier}` +
    (lineage.rationale ? ` (${lineage.rationale})` : "");
}
