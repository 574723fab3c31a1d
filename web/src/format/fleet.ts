/**
 * What the pool, studio and job screens print about fleets: a pool's policy, how many agents it
 * wants and why, a job's VRAM figure and what it rests on, and the numbers a policy form sends.
 * Pure, so the wording is tested.
 */
import type { JobFootprint, PoolPolicy, ScalingAnswer } from "../../../protocol/fleet.ts";
import { TIERS } from "../../../protocol/tiers.ts";
import { formatVram } from "./agents.ts";

/** "0–10 agents per tier · jobs wait at most 2 min · scale down after 5 min idle" */
export function policyLine(policy: PoolPolicy): string {
  return `${policy.minAgents}–${policy.maxAgents} agents per tier · jobs wait at most ${
    duration(policy.targetWaitS)
  } · scale down after ${duration(policy.scaleDownIdleS)} idle`;
}

/** "90 s", "2 min", "1 h 30 min". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * The tiers that want agents or hold work, each with the edge's reason (which ends with the count
 * it reaches, said here first): "standard: wants 3 (4 queued × ~45 s over a 60 s target wait → 3)".
 */
export function scalingLines(scaling: ScalingAnswer): string[] {
  return TIERS.flatMap((tier) => {
    const t = scaling.tiers[tier];
    if (!t || (t.desired === 0 && t.queued === 0 && t.running === 0)) return [];
    return [`${tier}: wants ${t.desired} (${t.reason.replace(/: \d+$/, "")})`];
  });
}

/**
 * The VRAM figure a job was matched on, in words: "14 GB learned: p95 peak 13 GB over 7 runs
 * + 1.0 GB (declared 24 GB)" or "24 GB declared (no peaks measured yet)".
 */
export function footprintLine(footprint: JobFootprint): string {
  if (footprint.source === "learned" && footprint.p95PeakMiB !== undefined) {
    return `${formatVram(footprint.vramMiB)} learned: p95 peak ${
      formatVram(footprint.p95PeakMiB)
    } over ${footprint.samples ?? "?"} runs + ${formatVram(footprint.marginMiB ?? 0)} (declared ${
      formatVram(footprint.declaredMiB)
    })`;
  }
  return `${formatVram(footprint.vramMiB)} declared (too few measured peaks to learn from yet)`;
}

export type PolicyForm = Partial<Record<keyof PoolPolicy, string>>;

/**
 * The policy fields a form sends: empty inputs are left out (the edge's defaults); anything else
 * is sent as a number, even when it is not a whole one, so the edge's message names the field.
 */
export function policyBody(form: PolicyForm): Partial<PoolPolicy> {
  const body: Partial<PoolPolicy> = {};
  for (const [key, value] of Object.entries(form) as [keyof PoolPolicy, string | undefined][]) {
    if (value === undefined || value.trim() === "") continue;
    body[key] = Number(value);
  }
  return body;
}
