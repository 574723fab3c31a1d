/**
 * What the agent tells the edge about itself (enroll and heartbeat), and which node types and
 * tiers that makes it eligible for: exactly the pairs its healthy backends can run now, GPU
 * work only at the tiers its largest card meets. Pure: built from detection and backend statuses.
 */
import type { AgentProfile } from "../../protocol/jobs.ts";
import { minVramMiB, type Tier, TIERS } from "../../protocol/tiers.ts";
import type { BackendStatus } from "../backends/backend.ts";
import { largestVramMiB, type MachineProfile } from "./profile.ts";

export const AGENT_VERSION = "0.2.0";

export function advertisedProfile(
  machine: MachineProfile,
  backends: BackendStatus[],
  concurrency: number,
): AgentProfile {
  const gpu = gpuTiers(machine);
  return {
    hostname: machine.hostname.slice(0, 200),
    os: machine.os.slice(0, 200),
    gpus: machine.gpus,
    backends: backends.map((status) => _withinVram(status, gpu)),
    concurrency,
    agentVersion: AGENT_VERSION,
  };
}

/** GPU tiers this machine's largest card meets (CPU nodes ignore VRAM). */
export function gpuTiers(machine: Pick<MachineProfile, "gpus">): Tier[] {
  const vram = largestVramMiB(machine);
  return TIERS.filter((tier) => minVramMiB(tier) <= vram);
}

/**
 * Node type → tiers this machine can run now (a doctor's summary of what it advertises): the
 * healthy backends' runnable pairs, GPU work only at tiers its largest card meets.
 */
export function eligibleWork(
  machine: Pick<MachineProfile, "gpus">,
  backends: Pick<BackendStatus, "kind" | "healthy" | "runnable">[],
): Record<string, Tier[]> {
  const gpu = gpuTiers(machine);
  const work: Record<string, Tier[]> = {};
  for (const status of backends) {
    if (!status.healthy) continue;
    for (const pair of _withinVram(status, gpu).runnable ?? []) {
      const tiers = work[pair.nodeType] ??= [];
      if (!tiers.includes(pair.tier)) tiers.push(pair.tier);
    }
  }
  for (const tiers of Object.values(work)) {
    tiers.sort((a, b) => TIERS.indexOf(a) - TIERS.indexOf(b));
  }
  return work;
}

/** A GPU backend's pairs cut to the tiers the GPU meets; ffmpeg runs on the CPU. */
function _withinVram<T extends Pick<BackendStatus, "kind" | "runnable" | "blocked">>(
  status: T,
  gpu: readonly Tier[],
): T {
  if (status.kind === "ffmpeg") return status;
  const fits = (pair: { tier: Tier }) => gpu.includes(pair.tier);
  return {
    ...status,
    ...(status.runnable ? { runnable: status.runnable.filter(fits) } : {}),
    ...(status.blocked ? { blocked: status.blocked.filter(fits) } : {}),
  };
}
