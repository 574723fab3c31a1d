/**
 * What the export writes under its own metadata namespace (OTIO asks every workflow to keep to
 * one) so that an import of our own file gives back the same cut: clip, node and track ids,
 * positions, our transition kind and audio gain, none of which OTIO has a field for. A file
 * edited elsewhere may come back without it; the import then falls back on what OTIO itself
 * says (see otio_import.ts). The schemas read it leniently: a value that does not fit is
 * ignored, never an error, since an editing tool may have rewritten it.
 */
import { z } from "zod";
import { CUT_TRANSITIONS, positionKeySchema } from "../../../protocol/cut.ts";
import { graphIdSchema } from "../../../protocol/graph.ts";

/** The metadata key everything of ours sits under. */
export const OTIO_NAMESPACE = "movie_director";

/** The audio track that carries the picture clips' own sound (export only; import skips it). */
export const SHOT_SOUND_ROLE = "shot_sound";

export interface TimelineMeta {
  cutId: string;
  format: { width: number; height: number; fps: number };
}

export interface VideoClipMeta {
  clipId: string;
  nodeId: string;
  position: string;
}

export interface AudioClipMeta {
  clipId: string;
  nodeId: string;
  gainDb: number;
}

export interface AudioTrackMeta {
  trackId: string;
  name: string;
  position: string;
  /** Overlapping clips of one of our tracks go to lanes (OTIO tracks) 0, 1, …. */
  lane: number;
}

export interface TransitionMeta {
  kind: string;
}

/** `{ movie_director: value }`, the shape every object's metadata takes. */
export function ours<T>(value: T): { [OTIO_NAMESPACE]: T } {
  return { [OTIO_NAMESPACE]: value };
}

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const metaSchema = z.object({
  clipId: lenient(graphIdSchema),
  nodeId: lenient(graphIdSchema),
  position: lenient(positionKeySchema),
  gainDb: lenient(z.number().min(-60).max(12)),
  trackId: lenient(graphIdSchema),
  name: lenient(z.string().trim().min(1).max(100)),
  kind: lenient(z.enum(CUT_TRANSITIONS)),
  role: lenient(z.literal(SHOT_SOUND_ROLE)),
});

/** Whatever of ours an object's metadata holds; fields that are missing or do not fit are absent. */
export type ReadMeta = z.infer<typeof metaSchema>;

export function readMeta(metadata: unknown): ReadMeta {
  const bag = metadata !== null && typeof metadata === "object"
    ? (metadata as Record<string, unknown>)[OTIO_NAMESPACE]
    : undefined;
  const parsed = metaSchema.safeParse(bag ?? {});
  return parsed.success ? parsed.data : {};
}
