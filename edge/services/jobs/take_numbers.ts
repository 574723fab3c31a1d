/**
 * How takes are numbered and filed. Numbers count per node: the first take of a node is take01,
 * whatever other nodes made. Object keys follow the production convention
 * (`renders/{SCENE}/{SHOT}/v{NN}/{SHOT}_v{NN}_take{NN}.{ext}`) and must stay unique and never
 * change, yet several nodes may carry the same scene/shot/version: a keyframe image, the shot's
 * video and its upscale do by design, and a duplicated node does until someone renames it.
 * Refusing shared naming would break both, so each node that files takes under a
 * scene/shot/version gets its own series there, a `variant` letter after the shot code, as
 * pickups of a shot are lettered on set: the first node keeps the plain code (`SHOT-010`), the
 * next ones `SHOT-010B`, `SHOT-010C`... A node keeps its letter for good, so its numbering and
 * its keys never move. Shot codes are `SHOT-` and digits only (protocol/nodes.ts), so a lettered
 * code can never be another node's own.
 *
 * Takes filed before numbers counted per node all have the plain code and keep their numbers
 * and keys; nodes that share such a series go on counting in it together, still never reusing
 * a number.
 */

/** The variant for the `index`-th node to file under one scene/shot/version: "", "B"..."Z", "Z2"... */
export function variantAt(index: number): string {
  if (index === 0) return "";
  return index < 26 ? String.fromCharCode(65 + index) : `Z${index - 24}`;
}

/**
 * The variant a node files its next take under, given who filed under this scene/shot/version
 * so far: the one it used before, else the first that no node used.
 */
export function variantFor(
  nodeId: string,
  filed: ReadonlyArray<{ nodeId: string; variant: string }>,
): string {
  const own = filed.filter((f) => f.nodeId === nodeId).map((f) => f.variant).sort();
  if (own.length > 0) return own[0]!;
  const used = new Set(filed.map((f) => f.variant));
  for (let i = 0;; i++) {
    if (!used.has(variantAt(i))) return variantAt(i);
  }
}
