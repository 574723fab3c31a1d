/**
 * Quality tiers and the VRAM they need. A job asks for a tier; the tier sets the minimum GPU
 * memory an agent must have. Templates may declare their own footprint, which wins over the
 * defaults here.
 *
 * @example
 * ```ts
 * import { minVramMiB } from "./tiers.ts";
 * minVramMiB("standard"); // 15872: every "16 GB" card qualifies
 * ```
 */
import { z } from "zod";

export const TIERS = ["low", "standard", "high"] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

const GIB = 1024;
/**
 * Cards report a little less than the size they are sold as (an RTX 4090 shows 24564 MiB, a
 * 4080 16376 MiB, a 4070 12282 MiB), so each tier's minimum leaves this much room below the
 * nominal size: a "24 GB" card must qualify for the 24 GB tier.
 */
const REPORTING_SLACK_MIB = 512;

/** Default minimum VRAM per tier, in MiB (12 / 16 / 24 GB cards). */
export const DEFAULT_TIER_VRAM_MIB: Readonly<Record<Tier, number>> = {
  low: 12 * GIB - REPORTING_SLACK_MIB,
  standard: 16 * GIB - REPORTING_SLACK_MIB,
  high: 24 * GIB - REPORTING_SLACK_MIB,
};

/** What running one job of a node type at a tier occupies on the GPU. */
export interface Footprint {
  /** Peak VRAM in MiB; 0 for CPU-only work. */
  vramMiB: number;
  /** Model files the backend must have, by their file name in the backend's model folders. */
  models: string[];
}

/**
 * Footprints that differ from "the tier's minimum, no extra models". Keyed `nodeType:tier`.
 * A template's own declaration overrides an entry here.
 */
export const FOOTPRINTS: Readonly<Record<string, Footprint>> = {
  "upscale:low": { vramMiB: 0, models: [] },
  "upscale:standard": { vramMiB: 0, models: [] },
  "upscale:high": { vramMiB: 0, models: [] },
  "transition:low": { vramMiB: 0, models: [] },
  "transition:standard": { vramMiB: 0, models: [] },
  "transition:high": { vramMiB: 0, models: [] },
  "composite:low": { vramMiB: 0, models: [] },
  "composite:standard": { vramMiB: 0, models: [] },
  "composite:high": { vramMiB: 0, models: [] },
  "cut.render:standard": { vramMiB: 0, models: [] },
};

export function minVramMiB(tier: Tier): number {
  return DEFAULT_TIER_VRAM_MIB[tier];
}

/** The footprint of a node type at a tier, with an optional override (from a template). */
export function footprintFor(
  nodeType: string,
  tier: Tier,
  override?: Partial<Footprint>,
): Footprint {
  const base = FOOTPRINTS[`${nodeType}:${tier}`] ?? { vramMiB: minVramMiB(tier), models: [] };
  return {
    vramMiB: override?.vramMiB ?? base.vramMiB,
    models: override?.models ?? base.models,
  };
}

/** Tiers from best to worst, for downgrading. */
export function tiersAtOrBelow(tier: Tier): Tier[] {
  return TIERS.slice(0, TIERS.indexOf(tier) + 1).reverse();
}
