/**
 * The changes that undo a cut edit on `graph` (the graph before it), so the timeline's edits
 * share the canvas's undo and redo. None when the op's target is missing (it will not apply).
 */
import type { GraphOp } from "../../../protocol/canvas.ts";
import type { ClipChanges } from "../../../protocol/cut_ops.ts";
import type { Graph } from "../../../protocol/graph.ts";

type CutOp = Extract<GraphOp, { type: `cut.${string}` }>;

export function inverseOfCutOp(graph: Graph, op: CutOp): GraphOp[] {
  const cuts = graph.cuts ?? {};
  switch (op.type) {
    case "cut.create":
      return [{ type: "cut.delete", id: op.cut.id }];
    case "cut.delete":
    case "cut.update":
    case "cut.replace": {
      const id = op.type === "cut.replace" ? op.cut.id : op.id;
      const cut = cuts[id];
      if (!cut) return [];
      const whole = structuredClone(cut);
      if (op.type === "cut.update") {
        return [{ type: "cut.update", id, set: { name: cut.name, format: cut.format } }];
      }
      // Made again empty under its own id, then given back its clips and tracks.
      const head = { id, name: cut.name, format: cut.format };
      return op.type === "cut.delete"
        ? [{ type: "cut.create", cut: head }, { type: "cut.replace", cut: whole }]
        : [{ type: "cut.replace", cut: whole }];
    }
    case "cut.clip.add":
      return [{ type: "cut.clip.remove", cutId: op.cutId, clipId: op.clip.id }];
    case "cut.clip.remove": {
      const clip = cuts[op.cutId]?.clips[op.clipId];
      return clip ? [{ type: "cut.clip.add", cutId: op.cutId, clip: structuredClone(clip) }] : [];
    }
    case "cut.clip.update": {
      const clip = cuts[op.cutId]?.clips[op.clipId] as Record<string, unknown> | undefined;
      if (!clip) return [];
      const set: Record<string, unknown> = {};
      for (const key of Object.keys(op.set)) set[key] = structuredClone(clip[key]);
      return [{
        type: "cut.clip.update",
        cutId: op.cutId,
        clipId: op.clipId,
        set: set as ClipChanges,
      }];
    }
    case "cut.track.add":
      return [{ type: "cut.track.remove", cutId: op.cutId, trackId: op.track.id }];
    case "cut.track.remove": {
      const cut = cuts[op.cutId];
      const track = cut?.audioTracks[op.trackId];
      if (!cut || !track) return [];
      const clips = Object.values(cut.clips).filter((c) =>
        c.kind === "audio" && c.trackId === op.trackId
      );
      return [
        { type: "cut.track.add", cutId: op.cutId, track: structuredClone(track) },
        ...clips.map((clip): GraphOp => ({
          type: "cut.clip.add",
          cutId: op.cutId,
          clip: structuredClone(clip),
        })),
      ];
    }
  }
}
