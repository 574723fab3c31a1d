/**
 * A random edit of the cut "main" on a client's view of the graph, for randomized convergence
 * tests: creating it from the graph, adding, trimming, moving, retargeting and removing clips,
 * transitions, audio tracks and clips, renaming. Many are refused by the room (a trim that
 * leaves a transition no room, a node deleted meanwhile): the replicas must agree on that too.
 */
import type { GraphOp } from "../../protocol/canvas.ts";
import { CUT_TRANSITIONS, DEFAULT_CUT_FORMAT } from "../../protocol/cut.ts";
import type { Graph } from "../../protocol/graph.ts";

export function randomCutOp(view: Graph, rand: () => number, who: string): GraphOp {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const id = () => `${who}${Math.floor(rand() * 1e6)}`;
  const frames = () => Math.floor(rand() * 120);
  const cut = view.cuts?.["main"];
  if (!cut) {
    return {
      type: "cut.create",
      cut: { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT },
      fromGraph: true,
    };
  }
  const nodes = Object.keys(view.nodes);
  const clips = Object.values(cut.clips);
  const video = clips.filter((c) => c.kind === "video");
  const audio = clips.filter((c) => c.kind === "audio");
  const tracks = Object.keys(cut.audioTracks);
  const roll = rand();
  if (roll < 0.15 || video.length === 0) {
    const start = frames();
    return {
      type: "cut.clip.add",
      cutId: "main",
      clip: {
        id: id(),
        kind: "video",
        nodeId: pick(nodes),
        position: pick(["a0", "a1", "a2", "Zz", "a0V"]),
        in: start,
        out: start + 1 + frames(),
        transition: null,
      },
    };
  }
  const clip = pick(video);
  if (roll < 0.45) {
    const start = frames();
    return {
      type: "cut.clip.update",
      cutId: "main",
      clipId: clip.id,
      set: pick([{ in: start }, { out: start + 1 + frames() }, { in: start, out: start + 40 }]),
    };
  }
  if (roll < 0.55) {
    return {
      type: "cut.clip.update",
      cutId: "main",
      clipId: clip.id,
      set: { position: pick(["a0", "a1", "a2", "Zz", "a0V", "a5"]) },
    };
  }
  if (roll < 0.65) {
    return {
      type: "cut.clip.update",
      cutId: "main",
      clipId: clip.id,
      set: {
        transition: rand() < 0.3
          ? null
          : { kind: pick(CUT_TRANSITIONS), frames: 1 + Math.floor(rand() * 30) },
      },
    };
  }
  if (roll < 0.72) return { type: "cut.clip.remove", cutId: "main", clipId: clip.id };
  if (roll < 0.77) {
    return {
      type: "cut.clip.update",
      cutId: "main",
      clipId: clip.id,
      set: { nodeId: pick(nodes) },
    };
  }
  if (roll < 0.82 || tracks.length === 0) {
    return {
      type: "cut.track.add",
      cutId: "main",
      track: { id: id(), name: "Music", position: pick(["a0", "a1"]) },
    };
  }
  if (roll < 0.9 || audio.length === 0) {
    // Mostly refused: the view seldom has an audio node; the room and replicas must agree.
    return {
      type: "cut.clip.add",
      cutId: "main",
      clip: {
        id: id(),
        kind: "audio",
        trackId: pick(tracks),
        nodeId: pick(nodes),
        start: frames(),
        in: 0,
        out: 1 + frames(),
        gainDb: -6,
      },
    };
  }
  if (roll < 0.95) return { type: "cut.track.remove", cutId: "main", trackId: pick(tracks) };
  return { type: "cut.update", id: "main", set: { name: pick(["Main", "Trailer", "Cut 2"]) } };
}
