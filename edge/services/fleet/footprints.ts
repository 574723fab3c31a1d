/**
 * Learned footprints and run times. Each successful run leaves a row in `job_runs` (how long it
 * held its agent, and the peak GPU memory the agent sampled); from the newest runs of a key the
 * edge learns:
 * - the VRAM a job needs: the p95 of the measured peaks plus a margin, once there are at least
 *   LEARN_AFTER_RUNS of them, instead of the declared footprint (a template that really needs
 *   13 GB is kept off 12 GB cards; one declared at 24 GB that peaks at 15 GB runs on 16 GB ones);
 * - how long a job takes on each GPU class (medians), for ETAs and the desired agent count.
 *
 * The key is the node type and tier (a bundled template serves exactly one pair);
 * `footprintKey` is where a workflow asset's own key goes.
 */
import { sql } from "drizzle-orm";
import type { JobFootprint } from "../../../protocol/fleet.ts";
import type { Requirements } from "../../../protocol/jobs.ts";
import type { NodeTypeDef } from "../../../protocol/nodes.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type { AppDeps } from "../../context.ts";
import { requirementsFor } from "../jobs/matching.ts";

/** Measured peaks needed before they replace the declared footprint. */
export const LEARN_AFTER_RUNS = 5;
/** Only the newest runs of a key count: templates and models change. */
export const LEARN_WINDOW = 100;

/** What is added to the learned p95: 5 %, at least 512 MiB (allocator slack, other processes). */
export function learnedMarginMiB(p95PeakMiB: number): number {
  return Math.max(512, Math.ceil(p95PeakMiB * 0.05));
}

/** The key a job's runs are learned under. */
export function footprintKey(job: { nodeType: string; tier: Tier }): string {
  return `${job.nodeType}:${job.tier}`;
}

/** An agent's VRAM class as cards are sold: "24GB" (its largest GPU), "cpu" without one. */
export function gpuClassOf(maxVramMiB: number): string {
  return maxVramMiB <= 0 ? "cpu" : `${Math.round(maxVramMiB / 1024)}GB`;
}

/** The nearest-rank percentile of numbers sorted ascending. */
export function percentileOf(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LearnedPeak {
  samples: number;
  p95PeakMiB: number;
}

/** For each key with at least LEARN_AFTER_RUNS measured peaks, their p95. */
export async function learnedPeaks(
  deps: AppDeps,
  keys: readonly string[],
): Promise<Map<string, LearnedPeak>> {
  const learned = new Map<string, LearnedPeak>();
  if (keys.length === 0) return learned;
  const rows = await deps.db.all<{ key: string; peak: number }>(sql`
    select footprint_key as key, peak_vram_mib as peak from (
      select footprint_key, peak_vram_mib,
        row_number() over (partition by footprint_key order by id desc) as n
      from job_runs
      where footprint_key in ${keys} and peak_vram_mib is not null)
    where n <= ${LEARN_WINDOW}`);
  const byKey = Map.groupBy(rows, (r) => r.key);
  for (const [key, list] of byKey) {
    if (list.length < LEARN_AFTER_RUNS) continue;
    const sorted = list.map((r) => r.peak).sort((a, b) => a - b);
    learned.set(key, { samples: sorted.length, p95PeakMiB: percentileOf(sorted, 95) });
  }
  return learned;
}

/**
 * The requirements with the learned VRAM figure in place of the declared one, and what the
 * figure rests on. CPU work (declared 0) stays CPU work.
 */
export function withLearned(
  declared: Requirements,
  learned: LearnedPeak | undefined,
): { requirements: Requirements; footprint: JobFootprint } {
  const declaredMiB = declared.minVramMiB;
  if (!learned || declaredMiB === 0) {
    return {
      requirements: declared,
      footprint: { source: "declared", vramMiB: declaredMiB, declaredMiB },
    };
  }
  const marginMiB = learnedMarginMiB(learned.p95PeakMiB);
  const vramMiB = learned.p95PeakMiB + marginMiB;
  return {
    requirements: { ...declared, minVramMiB: vramMiB },
    footprint: {
      source: "learned",
      vramMiB,
      declaredMiB,
      p95PeakMiB: learned.p95PeakMiB,
      samples: learned.samples,
      marginMiB,
    },
  };
}

/**
 * A node type's requirements at each tier, learned where enough runs were measured (one query
 * for all its tiers).
 */
export async function learnedNeeds(
  deps: AppDeps,
  def: NodeTypeDef,
): Promise<(tier: Tier) => { requirements: Requirements; footprint: JobFootprint }> {
  const keys = def.tiers.map((tier) => footprintKey({ nodeType: def.type, tier }));
  const learned = await learnedPeaks(deps, keys);
  return (tier) =>
    withLearned(
      requirementsFor(def, tier),
      learned.get(footprintKey({ nodeType: def.type, tier })),
    );
}

/** Median run time (ms) of each key's newest runs, per GPU class. */
export async function learnedDurations(
  deps: AppDeps,
  keys: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const durations = new Map<string, Map<string, number>>();
  if (keys.length === 0) return durations;
  const rows = await deps.db.all<{ key: string; gpuClass: string; ms: number }>(sql`
    select footprint_key as key, gpu_class as gpuClass, run_ms as ms from (
      select footprint_key, gpu_class, run_ms,
        row_number() over (partition by footprint_key, gpu_class order by id desc) as n
      from job_runs where footprint_key in ${keys})
    where n <= ${LEARN_WINDOW}`);
  for (const [key, list] of Map.groupBy(rows, (r) => r.key)) {
    const perClass = new Map<string, number>();
    for (const [gpuClass, runs] of Map.groupBy(list, (r) => r.gpuClass)) {
      perClass.set(gpuClass, percentileOf(runs.map((r) => r.ms).sort((a, b) => a - b), 50));
    }
    durations.set(key, perClass);
  }
  return durations;
}

/**
 * The median run time over the given GPU classes (the agents that would run it): the classes'
 * medians, weighted by how many of those agents each has. Null when none was learned.
 */
export function durationOn(
  perClass: Map<string, number> | undefined,
  classes: readonly string[],
): number | null {
  if (!perClass) return null;
  const known = classes.flatMap((c) => perClass.has(c) ? [perClass.get(c)!] : []);
  if (known.length > 0) return known.reduce((a, b) => a + b, 0) / known.length;
  // Never run on these classes: what other cards took is better than nothing.
  const any = [...perClass.values()];
  return any.length > 0 ? any.reduce((a, b) => a + b, 0) / any.length : null;
}
