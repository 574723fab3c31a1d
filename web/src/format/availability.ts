/**
 * What a node says about running before anyone presses Generate: whether an agent online for
 * the project can run it at the chosen tier (or the workflow asset it runs, at the workflow's
 * tier), and if not, why and what Generate would do. Pure, so the words people read are tested.
 */
import type { WorkAvailability, WorkflowAvailability } from "../../../protocol/jobs.ts";
import type { Tier } from "../../../protocol/tiers.ts";

export interface AvailabilityNote {
  /** ok: it runs now; lower: it runs at a lower tier; waits: nobody can run it now. */
  tone: "ok" | "lower" | "waits" | "unknown";
  text: string;
}

const agents = (n: number) => `${n} agent${n === 1 ? "" : "s"}`;

export function availabilityNote(
  work: WorkAvailability | WorkflowAvailability | null,
  tier: Tier,
): AvailabilityNote {
  if (!work) return { tone: "unknown", text: "Checking which agents can run this…" };
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

/** A take's tier as it ran, with the one asked for and why, when the edge lowered it. */
export function downgradeNote(
  lineage: { tier: Tier; requestedTier?: Tier; rationale?: string | null },
): string | null {
  if (!lineage.requestedTier || lineage.requestedTier === lineage.tier) return null;
  return `Ran at ${lineage.tier}, not ${lineage.requestedTier}` +
    (lineage.rationale ? ` (${lineage.rationale})` : "");
}
