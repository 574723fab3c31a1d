/**
 * What the agent tells the edge about itself (enroll and heartbeat), and which node types and
 * tiers that makes it eligible for. Pure: built from detection and backend statuses.
 */
import type { AgentProfile } from "../../protocol/jobs.ts";
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { minVramMiB, type Tier, TIERS } from "../../protocol/tiers.ts";
import type { BackendStatus } from "../backends/backend.ts";
import { largestVramMiB, type MachineProfile } from "./profile.ts";

export const AGENT_VERSION = "0.1.0";

export function advertisedProfile(
  machine: MachineProfile,
  backends: BackendStatus[],
  concurrency: number,
): AgentProfile {
  return {
    hostname: machine.hostname.slice(0, 200),
    os: machine.os.slice(0, 200),
    gpus: machine.gpus,
    backends,
    concurrency,
    agentVersion: AGENT_VERSION,
  };
}

/** GPU tiers this machine's largest card meets (CPU nodes ignore VRAM). */
export function gpuTiers(machine: Pick<MachineProfile, "gpus">): Tier[] {
  const vram = largestVramMiB(machine);
  return TIERS.filter((tier) => minVramMiB(tier) <= vram);
}

/** Node type → tiers some healthy backend here can run it at (a doctor's summary). */
export function eligibleWork(
  machine: Pick<MachineProfile, "gpus">,
  backends: Pick<BackendStatus, "kind" | "healthy" | "templates">[],
): Record<string, Tier[]> {
  const gpu = gpuTiers(machine);
  const work: Record<string, Tier[]> = {};
  for (const def of Object.values(NODE_TYPES)) {
    const able = backends.filter((b) => b.healthy && def.backends.includes(b.kind));
    if (able.length === 0) continue;
    // ffmpeg runs on the CPU; GPU backends need the tier's VRAM.
    const tiers = def.tiers.filter((tier) =>
      able.some((b) => b.kind === "ffmpeg" ? b.templates.includes(def.type) : gpu.includes(tier))
    );
    if (tiers.length > 0) work[def.type] = [...tiers];
  }
  return work;
}
