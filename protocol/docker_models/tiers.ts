/**
 * Why a node cannot run a model config at the tier it asks for, in the words the edge refuses the
 * job with and the studio's card says before Generate (one sentence, written once).
 *
 * @example
 * ```ts
 * tierMismatch("Sketch model", "image.generate", [{ nodeType: "image.generate", tier: "low" }], "high");
 * // '"Sketch model" runs image.generate at low, not high'
 * ```
 */
import type { Tier } from "../tiers.ts";

/** Null when the config implements the node type at `tier`; else why not. */
export function tierMismatch(
  name: string,
  nodeType: string,
  pairs: readonly { nodeType: string; tier: Tier }[],
  tier: Tier,
): string | null {
  const tiers = pairs.filter((p) => p.nodeType === nodeType).map((p) => p.tier);
  if (tiers.includes(tier)) return null;
  if (tiers.length === 0) {
    const types = [...new Set(pairs.map((p) => p.nodeType))].join(", ");
    return `"${name}" implements ${types} nodes, not ${nodeType}; pick another`;
  }
  return `"${name}" runs ${nodeType} at ${tiers.join(" or ")}, not ${tier}`;
}
