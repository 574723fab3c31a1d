/**
 * A cut as stored parts: its own properties with its audio tracks (`cutId`), and each clip
 * (`cutId/clipId`; ids never hold a `/`). The room stores and measures a cut part by part, so
 * trimming one clip writes one small value, never the whole cut.
 *
 * @example
 * ```ts
 * cutPartValue(graph, "main/v1"); // the clip v1 of cut main, or undefined
 * ```
 */
import type { Cut, CutClip } from "../cut.ts";
import type { Graph } from "../graph.ts";

/** A cut without its clips: what the part `cutId` holds. */
export type CutHead = Omit<Cut, "clips">;

export function clipPart(cutId: string, clipId: string): string {
  return `${cutId}/${clipId}`;
}

/** The parts a whole cut is stored as. */
export function cutParts(cut: Cut): string[] {
  return [cut.id, ...Object.keys(cut.clips).map((id) => clipPart(cut.id, id))];
}

/** The stored value of a part now, or undefined when it is gone. */
export function cutPartValue(graph: Graph, part: string): CutHead | CutClip | undefined {
  const slash = part.indexOf("/");
  if (slash < 0) {
    const cut = graph.cuts?.[part];
    if (!cut) return undefined;
    const { clips: _clips, ...head } = cut;
    return head;
  }
  return graph.cuts?.[part.slice(0, slash)]?.clips[part.slice(slash + 1)];
}

/** Puts stored parts back together into cuts (clips whose cut is gone are dropped). */
export function joinCutParts(parts: Iterable<[string, unknown]>): Record<string, unknown> {
  const heads = new Map<string, Record<string, unknown>>();
  const clips: [string, string, unknown][] = [];
  for (const [part, value] of parts) {
    const slash = part.indexOf("/");
    if (slash < 0) heads.set(part, { ...(value as Record<string, unknown>), clips: {} });
    else clips.push([part.slice(0, slash), part.slice(slash + 1), value]);
  }
  for (const [cutId, clipId, value] of clips) {
    const head = heads.get(cutId);
    if (head) (head.clips as Record<string, unknown>)[clipId] = value;
  }
  return Object.fromEntries(heads);
}
