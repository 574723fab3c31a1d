/**
 * A new cut made from the graph: its shots in production order (PRD-008 naming: scene, then shot
 * number: SC01 SHOT-010 < SC01 SHOT-020 < SC02 SHOT-010), each the length its params ask for
 * (frames at its own rate, converted to the cut's), and each transition node that joins two
 * neighbours (`from` the earlier shot, `to` the next) as the transition between them. Pure and
 * deterministic, so the room and every replica make the same cut from the same graph.
 *
 * @example
 * ```ts
 * const cut = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
 * ```
 */
import { generateNKeysBetween } from "fractional-indexing";
import {
  type Cut,
  CUT_TRANSITIONS,
  type CutFormat,
  type CutTransitionKind,
  type VideoClip,
} from "./cut.ts";
import type { Graph, GraphNode } from "./graph.ts";

/** The node type whose takes a new cut plays. */
export const SHOT_TYPE = "shot.generate";

/** "SC02", "SHOT-020" → 2, 20; anything else sorts last. */
function _number(value: unknown, fallback: string): number {
  const text = typeof value === "string" ? value : fallback;
  const digits = /(\d+)$/.exec(text)?.[1];
  return digits === undefined ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/** Shots in production order: scene, shot, then id so equal codes still order the same way. */
export function shotOrder(graph: Graph): GraphNode[] {
  const key = (
    n: GraphNode,
  ) => [_number(n.params["scene"], "SC01"), _number(n.params["shot"], "SHOT-010")];
  return Object.values(graph.nodes).filter((n) => n.type === SHOT_TYPE).sort((a, b) => {
    const [sa, ha] = key(a) as [number, number];
    const [sb, hb] = key(b) as [number, number];
    return sa - sb || ha - hb || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** A shot's length in the cut's frames: its `frames` at its `fps` (the catalog's defaults). */
export function shotFrames(node: GraphNode, fps: number): number {
  const frames = typeof node.params["frames"] === "number" ? node.params["frames"] : 81;
  const rate = typeof node.params["fps"] === "number" ? node.params["fps"] : 16;
  return Math.max(1, Math.floor(frames * fps / rate));
}

/** A sound's length in the cut's frames: its node's `seconds` (the catalog's default, 10). */
export function soundFrames(node: GraphNode, fps: number): number {
  const seconds = typeof node.params["seconds"] === "number" ? node.params["seconds"] : 10;
  return Math.max(1, Math.round(seconds * fps));
}

export function cutFromGraph(
  graph: Graph,
  head: { id: string; name: string; format: CutFormat },
): Cut {
  const shots = shotOrder(graph);
  const positions = generateNKeysBetween(null, null, shots.length);
  const index = new Map(shots.map((s, i) => [s.id, i]));
  const lengths = shots.map((s) => shotFrames(s, head.format.fps));
  const clips: Record<string, VideoClip> = {};
  shots.forEach((shot, i) => {
    const id = `v${i + 1}`;
    clips[id] = {
      id,
      kind: "video",
      nodeId: shot.id,
      position: positions[i]!,
      in: 0,
      out: lengths[i]!,
      transition: null,
    };
  });
  for (const node of Object.values(graph.nodes)) {
    if (node.type !== "transition") continue;
    const feeding = (socket: string) =>
      Object.values(graph.edges).find((e) => e.to.node === node.id && e.to.socket === socket)
        ?.from.node;
    const a = index.get(feeding("from") ?? "");
    const b = index.get(feeding("to") ?? "");
    if (a === undefined || b !== a + 1) continue;
    const kind = CUT_TRANSITIONS.includes(node.params["kind"] as CutTransitionKind)
      ? node.params["kind"] as CutTransitionKind
      : "crossfade";
    const seconds = typeof node.params["seconds"] === "number" ? node.params["seconds"] : 1;
    // At most half of either clip, so every clip holds both of its transitions.
    const frames = Math.min(
      Math.round(seconds * head.format.fps),
      Math.floor(lengths[a]! / 2),
      Math.floor(lengths[b]! / 2),
    );
    if (frames >= 1) clips[`v${a + 1}`]!.transition = { kind, frames };
  }
  return { ...head, clips, audioTracks: {} };
}
