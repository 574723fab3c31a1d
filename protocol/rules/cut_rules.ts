/**
 * The rules of cut ops (protocol/cut_ops.ts). A clip plays a node of the graph with an output of
 * its kind (video clips a video output, audio clips an audio output) that exists when the clip is
 * added or pointed at it; a node deleted later leaves its clip in place as a gap. Every edit leaves
 * the cut sound (`cutProblems`: trims, transitions that fit, tracks that exist, bounds) or is
 * refused whole, the cut as it was. Properties resolve last writer wins, a clip's own
 * properties one by one, so a trim and a concurrent move of the same clip both stay.
 */
import { type Cut, type CutClip, cutProblems } from "../cut.ts";
import { cutFromGraph } from "../cut_from_graph.ts";
import type { ClipChanges } from "../cut_ops.ts";
import { MAX_CUTS } from "../cut_ops.ts";
import type { Graph } from "../graph.ts";
import { nodeType } from "../nodes.ts";
import { clipPart, cutParts } from "./cut_parts.ts";
import { missingNode } from "./node_rules.ts";
import { NONE, type OpOf, type Outcome, refuse, type RoomDoc, type Rules } from "./outcome.ts";

type CutOpType =
  | "cut.create"
  | "cut.update"
  | "cut.delete"
  | "cut.replace"
  | "cut.clip.add"
  | "cut.clip.update"
  | "cut.clip.remove"
  | "cut.track.add"
  | "cut.track.remove";

export const cutRules: Rules<OpOf<CutOpType>> = {
  "cut.create": createCut,
  "cut.update": updateCut,
  "cut.delete": deleteCut,
  "cut.replace": replaceCut,
  "cut.clip.add": addClip,
  "cut.clip.update": updateClip,
  "cut.clip.remove": removeClip,
  "cut.track.add": addTrack,
  "cut.track.remove": removeTrack,
};

function _applied(parts: readonly string[], undo: () => void): Outcome {
  return { ok: true, nodes: NONE, edges: NONE, cuts: parts, undo };
}

/** Runs `change` on the cut, then refuses it (and takes it back) if the cut is no longer sound. */
function _sound(cut: Cut, parts: readonly string[], undo: () => void): Outcome {
  const problem = cutProblems(cut)[0];
  if (problem) {
    undo();
    return refuse("invalid", problem.field, problem.message);
  }
  return _applied(parts, undo);
}

function _cut(graph: Graph, id: string, field: string): Cut | ReturnType<typeof refuse> {
  return graph.cuts?.[id] ?? refuse("not_found", field, `cut ${id} does not exist`);
}

/** Whether node `nodeId` may play in a clip of `kind`, or why not. */
function _playable(doc: RoomDoc, nodeId: string, kind: CutClip["kind"], field: string) {
  const node = doc.graph.nodes[nodeId];
  if (!node) return missingNode(doc, nodeId, field);
  const outputs = nodeType(node.type)?.outputs ?? [];
  if (!outputs.some((o) => o.type === kind)) {
    return refuse(
      "invalid",
      field,
      `"${node.title}" has no ${kind} output, so it cannot play on ${
        kind === "video" ? "the picture track" : "an audio track"
      }`,
    );
  }
  return null;
}

function createCut(doc: RoomDoc, { cut: head, fromGraph }: OpOf<"cut.create">): Outcome {
  const graph = doc.graph;
  const cuts = graph.cuts ??= {};
  if (cuts[head.id]) return refuse("conflict", "cut.id", `cut id ${head.id} is already used`);
  if (Object.keys(cuts).length >= MAX_CUTS) {
    return refuse("too_large", "cut", `a project holds at most ${MAX_CUTS} cuts`);
  }
  // A copy: the op (and a frozen default format in it) must not become part of the document.
  const own = structuredClone(head);
  const cut = fromGraph ? cutFromGraph(graph, own) : { ...own, clips: {}, audioTracks: {} };
  cuts[cut.id] = cut;
  return _sound(cut, cutParts(cut), () => void delete cuts[cut.id]);
}

function updateCut(doc: RoomDoc, { id, set }: OpOf<"cut.update">): Outcome {
  const cut = _cut(doc.graph, id, "id");
  if ("ok" in cut) return cut;
  const { name, format } = cut;
  if (set.name !== undefined) cut.name = set.name;
  if (set.format !== undefined) cut.format = { ...set.format };
  return _sound(cut, [id], () => void Object.assign(cut, { name, format }));
}

function deleteCut(doc: RoomDoc, { id }: OpOf<"cut.delete">): Outcome {
  const cut = _cut(doc.graph, id, "id");
  if ("ok" in cut) return cut;
  const cuts = doc.graph.cuts!;
  delete cuts[id];
  return _applied(cutParts(cut), () => void (cuts[id] = cut));
}

function replaceCut(doc: RoomDoc, { cut }: OpOf<"cut.replace">): Outcome {
  const cuts = doc.graph.cuts ??= {};
  const before = cuts[cut.id];
  if (!before) return refuse("not_found", "cut.id", `cut ${cut.id} does not exist`);
  for (const [key, clip] of Object.entries(cut.clips)) {
    if (clip.id !== key) return refuse("invalid", `cut.clips.${key}.id`, "differs from its key");
  }
  for (const [key, track] of Object.entries(cut.audioTracks)) {
    if (track.id !== key) {
      return refuse("invalid", `cut.audioTracks.${key}.id`, "differs from its key");
    }
  }
  // A whole timeline comes from elsewhere (an import): a clip of a node the graph does not hold
  // is a gap, as unknown media are; one of a node without an output of its kind is refused.
  for (const clip of Object.values(cut.clips)) {
    if (!doc.graph.nodes[clip.nodeId]) continue;
    const bad = _playable(doc, clip.nodeId, clip.kind, `cut.clips.${clip.id}.nodeId`);
    if (bad) return bad;
  }
  const next = structuredClone(cut);
  cuts[cut.id] = next;
  const parts = [...new Set([...cutParts(before), ...cutParts(next)])];
  return _sound(next, parts, () => void (cuts[cut.id] = before));
}

function addClip(doc: RoomDoc, { cutId, clip }: OpOf<"cut.clip.add">): Outcome {
  const cut = _cut(doc.graph, cutId, "cutId");
  if ("ok" in cut) return cut;
  if (cut.clips[clip.id]) {
    return refuse("conflict", "clip.id", `clip id ${clip.id} is already used in this cut`);
  }
  const bad = _playable(doc, clip.nodeId, clip.kind, "clip.nodeId");
  if (bad) return bad;
  cut.clips[clip.id] = structuredClone(clip);
  return _sound(cut, [clipPart(cutId, clip.id)], () => void delete cut.clips[clip.id]);
}

const VIDEO_ONLY = ["position", "transition"] as const;
const AUDIO_ONLY = ["trackId", "start", "gainDb"] as const;

function updateClip(doc: RoomDoc, { cutId, clipId, set }: OpOf<"cut.clip.update">): Outcome {
  const cut = _cut(doc.graph, cutId, "cutId");
  if ("ok" in cut) return cut;
  const clip = cut.clips[clipId];
  if (!clip) return refuse("not_found", "clipId", `clip ${clipId} is not in this cut`);
  const foreign = (clip.kind === "video" ? AUDIO_ONLY : VIDEO_ONLY).find((k) =>
    set[k] !== undefined
  );
  if (foreign) {
    return refuse("invalid", `set.${foreign}`, `a ${clip.kind} clip has no ${foreign}`);
  }
  if (set.nodeId !== undefined && set.nodeId !== clip.nodeId) {
    const bad = _playable(doc, set.nodeId, clip.kind, "set.nodeId");
    if (bad) return bad;
  }
  const before = { ...clip };
  const changes: Partial<ClipChanges> = {};
  for (const [key, value] of Object.entries(set)) {
    if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
  }
  Object.assign(clip, structuredClone(changes));
  const undo = () => void (cut.clips[clipId] = Object.assign(clip, before));
  return _sound(cut, [clipPart(cutId, clipId)], undo);
}

function removeClip(doc: RoomDoc, { cutId, clipId }: OpOf<"cut.clip.remove">): Outcome {
  const cut = _cut(doc.graph, cutId, "cutId");
  if ("ok" in cut) return cut;
  const clip = cut.clips[clipId];
  if (!clip) return refuse("not_found", "clipId", `clip ${clipId} is not in this cut`);
  delete cut.clips[clipId];
  // Its neighbours now meet: their transition must still fit.
  return _sound(cut, [clipPart(cutId, clipId)], () => void (cut.clips[clipId] = clip));
}

function addTrack(doc: RoomDoc, { cutId, track }: OpOf<"cut.track.add">): Outcome {
  const cut = _cut(doc.graph, cutId, "cutId");
  if ("ok" in cut) return cut;
  if (cut.audioTracks[track.id]) {
    return refuse("conflict", "track.id", `track id ${track.id} is already used in this cut`);
  }
  cut.audioTracks[track.id] = structuredClone(track);
  return _applied([cutId], () => void delete cut.audioTracks[track.id]);
}

/** Removes an audio track with its clips. */
function removeTrack(doc: RoomDoc, { cutId, trackId }: OpOf<"cut.track.remove">): Outcome {
  const cut = _cut(doc.graph, cutId, "cutId");
  if ("ok" in cut) return cut;
  const track = cut.audioTracks[trackId];
  if (!track) return refuse("not_found", "trackId", `track ${trackId} is not in this cut`);
  const clips = Object.values(cut.clips).filter((c) => c.kind === "audio" && c.trackId === trackId);
  delete cut.audioTracks[trackId];
  for (const clip of clips) delete cut.clips[clip.id];
  return _applied([cutId, ...clips.map((c) => clipPart(cutId, c.id))], () => {
    cut.audioTracks[trackId] = track;
    for (const clip of clips) cut.clips[clip.id] = clip;
  });
}
