/**
 * Reads an uploaded `.otio` file into the subset of OpenTimelineIO the import understands:
 * a `Timeline.1` whose `Stack.1` holds `Track.1`s of `Clip.1`/`Clip.2`, `Gap.1` and
 * `Transition.1`. Anything else is refused before any work is done on it, with an error naming
 * the field: 413 for a file over `MAX_OTIO_BYTES`, 422 for text that is not JSON, JSON nested
 * deeper than `MAX_OTIO_DEPTH`, a file that is not an OTIO timeline, or one whose objects do not
 * have the fields their schema needs. Field names and required fields follow the reference
 * library's `read_from` (e.g. a Transition must have `in_offset`, `out_offset` and
 * `transition_type`; a `Clip.2` its `media_references`).
 */
import { z } from "zod";
import { MAX_CUT_CLIPS } from "../../../protocol/cut.ts";
import { ApiError, type IssueDetail } from "../../errors.ts";

/**
 * Twice the largest file the export writes: a cut of `MAX_CUT_CLIPS` clips, each with sound and
 * a transition, is about 13 MB indented (otio_import_test.ts measures it), most of it spaces.
 */
export const MAX_OTIO_BYTES = 32 * 1024 * 1024;
/** Our own files nest 10 levels; editing tools' metadata goes a few deeper. */
export const MAX_OTIO_DEPTH = 64;
const MAX_TRACKS = 64;
/** Clips, gaps between them and transitions: three items per clip at most. */
const MAX_TRACK_ITEMS = 3 * MAX_CUT_CLIPS;

const rationalTimeSchema = z.object({
  OTIO_SCHEMA: z.literal("RationalTime.1"),
  rate: z.number().positive("a rate is more than 0").max(1_000_000),
  value: z.number().min(-1e12).max(1e12),
});
export type ReadRationalTime = z.infer<typeof rationalTimeSchema>;

const timeRangeSchema = z.object({
  OTIO_SCHEMA: z.literal("TimeRange.1"),
  start_time: rationalTimeSchema,
  duration: rationalTimeSchema,
});
export type ReadTimeRange = z.infer<typeof timeRangeSchema>;

const nameSchema = z.string().max(10_000).catch("");

/** Any media reference; only an `ExternalReference`'s `target_url` can match a take. */
const mediaReferenceSchema = z.object({
  OTIO_SCHEMA: z.string().max(100),
  name: nameSchema.optional(),
  target_url: z.string().max(10_000).optional(),
  available_range: timeRangeSchema.nullable().optional(),
});
export type ReadMediaReference = z.infer<typeof mediaReferenceSchema>;

const itemFields = {
  metadata: z.unknown().optional(),
  name: nameSchema.default(""),
  source_range: timeRangeSchema.nullable().optional(),
  enabled: z.boolean().optional(),
};

const clip1Schema = z.object({
  OTIO_SCHEMA: z.literal("Clip.1"),
  ...itemFields,
  media_reference: mediaReferenceSchema.nullable().optional(),
});

const clip2Schema = z.object({
  OTIO_SCHEMA: z.literal("Clip.2"),
  ...itemFields,
  media_references: z.record(z.string().max(1000), mediaReferenceSchema.nullable()),
  active_media_reference_key: z.string().max(1000),
});

const gapSchema = z.object({ OTIO_SCHEMA: z.literal("Gap.1"), ...itemFields });

const transitionSchema = z.object({
  OTIO_SCHEMA: z.literal("Transition.1"),
  metadata: z.unknown().optional(),
  name: nameSchema.default(""),
  in_offset: rationalTimeSchema,
  out_offset: rationalTimeSchema,
  transition_type: z.string().max(1000),
  enabled: z.boolean().optional(),
});

const ITEM_SCHEMAS = ["Clip.1", "Clip.2", "Gap.1", "Transition.1"];
const itemSchema = z.discriminatedUnion(
  "OTIO_SCHEMA",
  [clip1Schema, clip2Schema, gapSchema, transitionSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `a track here holds ${ITEM_SCHEMAS.join(", ")} (nested tracks and stacks: flatten ` +
          `the timeline first)`
        : undefined,
  },
);
export type ReadItem = z.infer<typeof itemSchema>;
export type ReadClip = z.infer<typeof clip1Schema> | z.infer<typeof clip2Schema>;
export type ReadTransition = z.infer<typeof transitionSchema>;

const trackSchema = z.object({
  OTIO_SCHEMA: z.literal("Track.1", { error: "the timeline's stack holds Track.1 objects" }),
  metadata: z.unknown().optional(),
  name: nameSchema.default(""),
  kind: z.string().max(100),
  source_range: z.null({ error: "trimmed tracks are not supported: remove the track's trim" })
    .optional(),
  enabled: z.boolean().optional(),
  children: z.array(itemSchema).max(
    MAX_TRACK_ITEMS,
    `a track holds at most ${MAX_TRACK_ITEMS} items`,
  ),
});
export type ReadTrack = z.infer<typeof trackSchema>;

const timelineSchema = z.object({
  OTIO_SCHEMA: z.literal("Timeline.1"),
  metadata: z.unknown().optional(),
  name: nameSchema.default(""),
  tracks: z.object({
    OTIO_SCHEMA: z.literal("Stack.1"),
    children: z.array(trackSchema).max(MAX_TRACKS, `a timeline holds at most ${MAX_TRACKS} tracks`),
  }),
});
export type ReadTimeline = z.infer<typeof timelineSchema>;

/** The active media reference of a clip of either schema version, or null. */
export function activeReference(clip: ReadClip): ReadMediaReference | null {
  if (clip.OTIO_SCHEMA === "Clip.1") return clip.media_reference ?? null;
  return Object.hasOwn(clip.media_references, clip.active_media_reference_key)
    ? clip.media_references[clip.active_media_reference_key] ?? null
    : null;
}

/** Parses and checks an uploaded OTIO file; throws an ApiError naming what is wrong. */
export function parseOtio(text: string): ReadTimeline {
  // UTF-16 length bounds the UTF-8 size from below; count bytes only when it could matter.
  if (text.length > MAX_OTIO_BYTES / 3 && new TextEncoder().encode(text).length > MAX_OTIO_BYTES) {
    throw new ApiError(413, "body_too_large", `an OTIO file is at most ${MAX_OTIO_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidOtio("(file)", `the file is not JSON (${(error as Error).message})`);
  }
  const depth = json !== null && typeof json === "object" ? _depthPath(json, MAX_OTIO_DEPTH) : null;
  if (depth) throw invalidOtio(depth, `the file nests deeper than ${MAX_OTIO_DEPTH} levels`);
  const schema = json !== null && typeof json === "object" && !Array.isArray(json)
    ? (json as Record<string, unknown>).OTIO_SCHEMA
    : undefined;
  if (typeof schema !== "string") {
    throw invalidOtio("OTIO_SCHEMA", "this is not an OpenTimelineIO file: it has no OTIO_SCHEMA");
  }
  if (schema !== "Timeline.1") {
    throw invalidOtio(
      "OTIO_SCHEMA",
      `expected an OpenTimelineIO Timeline.1, got ${JSON.stringify(schema.slice(0, 100))}`,
    );
  }
  const parsed = timelineSchema.safeParse(json);
  if (!parsed.success) {
    throw otioRefusal(parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    })));
  }
  return parsed.data;
}

export function invalidOtio(path: string, message: string): ApiError {
  return otioRefusal([{ path, message }]);
}

/** The 422 for a file that does not make a sound cut: the first few issues in its message. */
export function otioRefusal(issues: IssueDetail[], preface = ""): ApiError {
  const summary = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ");
  return new ApiError(422, "invalid_otio", preface + summary, issues.slice(0, 20));
}

/** The path of the first value nested deeper than `max`, or null. Iterative: no stack to blow. */
function _depthPath(root: unknown, max: number): string | null {
  interface Node {
    value: unknown;
    depth: number;
    key: string;
    parent: Node | null;
  }
  const stack: Node[] = [{ value: root, depth: 0, key: "", parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth >= max) {
      const path: string[] = [];
      for (let at: Node | null = node; at?.parent; at = at.parent) path.unshift(at.key);
      return path.join(".");
    }
    for (const [key, value] of Object.entries(node.value as object)) {
      if (value !== null && typeof value === "object") {
        stack.push({ value, depth: node.depth + 1, key, parent: node });
      }
    }
  }
  return null;
}
