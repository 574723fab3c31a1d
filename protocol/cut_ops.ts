/**
 * The edits of a cut, as ops through the project's room like the graph's (protocol/canvas.ts):
 * ordered, acked or rejected with a reason, last writer wins per property. Their rules are in
 * rules/cut_rules.ts. Clip ids are scoped to their cut; a clip keeps its id when it moves.
 *
 * @example
 * ```ts
 * const trim: CutOp = { type: "cut.clip.update", cutId: "main", clipId: "v1", set: { out: 96 } };
 * ```
 */
import { z } from "zod";
import {
  audioTrackSchema,
  cutClipSchema,
  cutFormatSchema,
  cutNameSchema,
  cutSchema,
  cutTransitionSchema,
  frameCount,
  positionKeySchema,
} from "./cut.ts";
import { graphIdSchema } from "./graph_id.ts";

/** The most cuts one project holds. */
export const MAX_CUTS = 50;

export const cutChangesSchema = z.object({
  name: cutNameSchema.optional(),
  format: cutFormatSchema.optional(),
}).strict();

/** Per-property changes of a clip; the properties of the other kind of clip are refused. */
export const clipChangesSchema = z.object({
  nodeId: graphIdSchema.optional(),
  position: positionKeySchema.optional(),
  in: frameCount.optional(),
  out: frameCount.optional(),
  /** Video clips: the transition into the next clip, or null for a cut. */
  transition: cutTransitionSchema.nullable().optional(),
  /** Audio clips. */
  trackId: graphIdSchema.optional(),
  start: frameCount.optional(),
  gainDb: z.number().min(-60).max(12).optional(),
}).strict();
export type ClipChanges = z.infer<typeof clipChangesSchema>;

/** The op schemas of the cut, for protocol/canvas.ts's union of ops. */
export const cutOpSchemas = [
  /**
   * A new cut, empty or (`fromGraph`) with the graph's shots in scene/shot order and its
   * transition nodes as transitions (rules/cut_from_graph.ts).
   */
  z.object({
    type: z.literal("cut.create"),
    cut: z.object({ id: graphIdSchema, name: cutNameSchema, format: cutFormatSchema }).strict(),
    fromGraph: z.literal(true).optional(),
  }).strict(),
  z.object({ type: z.literal("cut.update"), id: graphIdSchema, set: cutChangesSchema }).strict(),
  z.object({ type: z.literal("cut.delete"), id: graphIdSchema }).strict(),
  /** The whole cut at once: an OpenTimelineIO import, or a revert of one cut. */
  z.object({ type: z.literal("cut.replace"), cut: cutSchema }).strict(),
  z.object({ type: z.literal("cut.clip.add"), cutId: graphIdSchema, clip: cutClipSchema })
    .strict(),
  z.object({
    type: z.literal("cut.clip.update"),
    cutId: graphIdSchema,
    clipId: graphIdSchema,
    set: clipChangesSchema,
  }).strict(),
  z.object({ type: z.literal("cut.clip.remove"), cutId: graphIdSchema, clipId: graphIdSchema })
    .strict(),
  z.object({ type: z.literal("cut.track.add"), cutId: graphIdSchema, track: audioTrackSchema })
    .strict(),
  z.object({ type: z.literal("cut.track.remove"), cutId: graphIdSchema, trackId: graphIdSchema })
    .strict(),
] as const;

export const CUT_OP_TYPES = [
  "cut.create",
  "cut.update",
  "cut.delete",
  "cut.replace",
  "cut.clip.add",
  "cut.clip.update",
  "cut.clip.remove",
  "cut.track.add",
  "cut.track.remove",
] as const;
