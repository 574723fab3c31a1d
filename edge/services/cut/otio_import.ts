/**
 * An OpenTimelineIO timeline edited elsewhere, back into a cut: the inverse of otio_export.ts.
 * The picture track's clips and gaps become the cut's video clips, in order, their trims widened
 * again by the handles their transitions read (overlap.ts); each audio track's clips become
 * audio clips at the frame where they start playing. Clips are matched to takes by their
 * `target_url` through the caller's lookup; a clip whose media the project does not have keeps
 * its place and length as a gap (a clip whose node is unknown) and is named in `unknown`.
 *
 * Our own files carry ids, positions, transition kinds and gains in metadata (otio_metadata.ts);
 * when they are there and fit, they are kept, so export then import gives the same cut. What
 * is missing is made anew: ids from `newId`, positions in track order, a transition's kind from
 * its name or its OTIO type, a gain of 0 dB. Times at another rate are converted to the cut's
 * frames, rounded. The cut's id, name and format stay the cut's.
 *
 * @example
 * ```ts
 * const lookup = mediaIndex(projectTakes);
 * const { cut: imported, unknown } = importOtio(await c.req.text(), { cut, lookup, newId });
 * ```
 */
import { generateNKeysBetween } from "fractional-indexing";
import {
  type AudioClip,
  type AudioTrack,
  type Cut,
  CUT_TRANSITIONS,
  type CutClip,
  cutProblems,
  cutSchema,
  type CutTransition,
  type CutTransitionKind,
} from "../../../protocol/cut.ts";
import type { MediaLookup } from "./media.ts";
import { readMeta, SHOT_SOUND_ROLE } from "./otio_metadata.ts";
import {
  activeReference,
  invalidOtio,
  otioRefusal,
  parseOtio,
  type ReadItem,
  type ReadRationalTime,
  type ReadTimeRange,
  type ReadTrack,
  type ReadTransition,
} from "./otio_parse.ts";
import { trimFromOtio } from "./overlap.ts";

export interface OtioImportOptions {
  /** The cut being replaced: its id, name and format are kept. */
  cut: Cut;
  lookup: MediaLookup;
  newId: () => string;
}

/** A clip whose media the project does not have; it stays in the cut as a gap. */
export interface UnknownMedia {
  clipId: string;
  /** The clip's name in the file. */
  name: string;
  /** Its media's `target_url`, or null when it had no external reference. */
  targetUrl: string | null;
}

export interface OtioImportResult {
  cut: Cut;
  unknown: UnknownMedia[];
  /** Clip id → the take its media matched, for lookups that name takes (to select them). */
  takes: Record<string, string>;
  /** What the cut cannot hold and was left out (transitions at a track's ends, extra tracks). */
  notes: string[];
}

/** One clip or gap of a track, with the handles its neighbouring transitions read. */
interface Segment {
  item: Exclude<ReadItem, ReadTransition>;
  /** `tracks.children.N.children.M`, for errors and notes. */
  path: string;
  /** The track frame where its source range starts (transitions take no time). */
  at: number;
  in: number;
  out: number;
  /** Frames it plays before `at`: the `in_offset` of the transition into it. */
  head: number;
  /** The transition out of it, null if none. */
  transition: CutTransition | null;
}

export function importOtio(text: string, options: OtioImportOptions): OtioImportResult {
  const timeline = parseOtio(text);
  const fps = options.cut.format.fps;
  const frames = (t: ReadRationalTime) => Math.round((t.value * fps) / t.rate);
  const notes: string[] = [];
  const unknown: UnknownMedia[] = [];
  const takes: Record<string, string> = {};
  const usedIds = new Set<string>();
  const claimId = (wanted: string | undefined): string => {
    let id = wanted !== undefined && !usedIds.has(wanted) ? wanted : options.newId();
    while (usedIds.has(id)) id = options.newId();
    usedIds.add(id);
    return id;
  };
  /** The node a clip or gap plays, recording unknown media and matched takes. */
  const nodeOf = (segment: Segment, clipId: string): string => {
    const { item } = segment;
    const meta = readMeta(item.metadata);
    if (item.OTIO_SCHEMA === "Gap.1") return meta.nodeId ?? options.newId();
    if (item.enabled === false) {
      notes.push(`${segment.path}: a disabled clip plays as a gap`);
      return options.newId();
    }
    const targetUrl = activeReference(item)?.target_url ?? null;
    const match = targetUrl === null ? null : options.lookup(targetUrl);
    if (match) {
      if (match.takeId !== undefined) takes[clipId] = match.takeId;
      return match.nodeId;
    }
    unknown.push({ clipId, name: item.name.slice(0, 200), targetUrl });
    return options.newId();
  };

  const tracks = timeline.tracks.children.map((track, index) => ({
    track,
    path: `tracks.children.${index}`,
  })).filter(({ track }) => track.enabled !== false);
  const pictures = tracks.filter(({ track }) => track.kind === "Video");
  const withClips = pictures.filter(({ track }) =>
    track.children.some((c) => c.OTIO_SCHEMA !== "Gap.1" && c.OTIO_SCHEMA !== "Transition.1")
  );
  if (withClips.length > 1) {
    throw invalidOtio(
      withClips[1]!.path,
      "a cut has one picture track and this timeline has clips on several: move them onto one",
    );
  }
  const picture = withClips[0] ?? pictures[0];
  for (const extra of pictures) {
    if (extra !== picture) notes.push(`${extra.path}: an empty picture track was left out`);
  }

  const clips: Record<string, CutClip> = {};
  if (picture) {
    const pictureSegments = _segments(picture.track, picture.path, frames, notes);
    const ids = pictureSegments.map((s) => claimId(readMeta(s.item.metadata).clipId));
    const positions = _positions(pictureSegments.map((s) => readMeta(s.item.metadata).position));
    pictureSegments.forEach((segment, index) => {
      const id = ids[index]!;
      clips[id] = {
        id,
        kind: "video",
        nodeId: nodeOf(segment, id),
        position: positions[index]!,
        in: segment.in,
        out: segment.out,
        transition: segment.transition,
      };
    });
  }

  // Our tracks went out as one OTIO track per lane; lanes of one track come back together.
  const audioTracks: Record<string, AudioTrack> = {};
  const trackOrder: { id: string; position: string | undefined }[] = [];
  const trackIdOf = new Map<string, string>();
  for (const { track, path } of tracks) {
    if (track.kind !== "Audio") continue;
    const meta = readMeta(track.metadata);
    if (meta.role === SHOT_SOUND_ROLE || (picture && _mirrors(track, picture.track, frames))) {
      continue;
    }
    let trackId = meta.trackId === undefined ? undefined : trackIdOf.get(meta.trackId);
    if (trackId === undefined) {
      trackId = claimId(meta.trackId);
      if (meta.trackId !== undefined) trackIdOf.set(meta.trackId, trackId);
      const name = meta.name ??
        (track.name.trim().slice(0, 100) || `Audio ${trackOrder.length + 1}`);
      audioTracks[trackId] = { id: trackId, name, position: "" };
      trackOrder.push({ id: trackId, position: meta.position });
    }
    for (const segment of _segments(track, path, frames, notes)) {
      const meta = readMeta(segment.item.metadata);
      // A gap on an audio track is silence, unless it is one of our clips without a take.
      if (segment.item.OTIO_SCHEMA === "Gap.1" && meta.clipId === undefined) continue;
      const start = segment.at - segment.head;
      if (start < 0) {
        throw invalidOtio(segment.path, "the clip's transition starts before the track");
      }
      const id = claimId(meta.clipId);
      const clip: AudioClip = {
        id,
        kind: "audio",
        trackId,
        nodeId: nodeOf(segment, id),
        start,
        in: segment.in,
        out: segment.out,
        gainDb: meta.gainDb ?? 0,
      };
      clips[id] = clip;
    }
  }
  const trackPositions = _positions(trackOrder.map((t) => t.position));
  trackOrder.forEach(({ id }, index) => audioTracks[id]!.position = trackPositions[index]!);

  const cut = _checked({
    id: options.cut.id,
    name: options.cut.name,
    format: options.cut.format,
    clips,
    audioTracks,
  });
  return { cut, unknown, takes, notes };
}

/**
 * A track's clips and gaps with their trims widened by the transitions around them. Items of no
 * length are dropped (OTIO allows them; a cut clip must last); a transition at either end of a
 * track has no clip on one side and is left out (noted): the track's timing does not change,
 * since transitions take no time.
 */
function _segments(
  track: ReadTrack,
  trackPath: string,
  frames: (t: ReadRationalTime) => number,
  notes: string[],
): Segment[] {
  const segments: Segment[] = [];
  const items = track.children;
  let at = 0;
  items.forEach((item, index) => {
    if (item.OTIO_SCHEMA === "Transition.1") {
      const before = items[index - 1];
      const after = items[index + 1];
      if (before?.OTIO_SCHEMA === "Transition.1" || after?.OTIO_SCHEMA === "Transition.1") {
        throw invalidOtio(
          `${trackPath}.children.${index}`,
          "two transitions are next to each other",
        );
      }
      if (!before || !after) {
        notes.push(
          `${trackPath}.children.${index}: a transition at the end of a track was left out`,
        );
      }
      return;
    }
    const range = _range(item, `${trackPath}.children.${index}`, frames);
    const before = _liveTransition(items[index - 1]);
    const after = _liveTransition(items[index + 1]);
    const head = before && index > 1
      ? _nonNegative(frames(before.in_offset), trackPath, index - 1)
      : 0;
    const tail = after && index < items.length - 2
      ? _nonNegative(frames(after.out_offset), trackPath, index + 1)
      : 0;
    const trim = trimFromOtio(range, { head, tail });
    if (trim.in < 0 && item.OTIO_SCHEMA === "Gap.1") {
      // Black has no source frames to run out of: start it at 0, keeping its length.
      trim.out -= trim.in;
      trim.in = 0;
    }
    if (trim.in < 0) {
      throw invalidOtio(
        `${trackPath}.children.${index - 1}.in_offset`,
        `the transition needs ${-trim.in} frames before the start of the next clip's media`,
      );
    }
    const transitionFrames = after && index < items.length - 2
      ? tail + _nonNegative(frames(after.in_offset), trackPath, index + 1)
      : 0;
    if (trim.out <= trim.in && (before || after)) {
      throw invalidOtio(
        `${trackPath}.children.${index}`,
        "an item of no length sits next to a transition: delete the transition or the item",
      );
    }
    if (trim.out > trim.in) {
      segments.push({
        item,
        path: `${trackPath}.children.${index}`,
        at,
        ...trim,
        head,
        transition: transitionFrames > 0
          ? { kind: _kindOf(after!), frames: transitionFrames }
          : null,
      });
    }
    at += range.duration;
  });
  return segments;
}

function _liveTransition(item: ReadItem | undefined): ReadTransition | null {
  return item?.OTIO_SCHEMA === "Transition.1" && item.enabled !== false ? item : null;
}

function _nonNegative(value: number, trackPath: string, index: number): number {
  if (value < 0) {
    throw invalidOtio(`${trackPath}.children.${index}`, "a transition's offsets are 0 or more");
  }
  return value;
}

/** An item's source range in frames: its own, else (a clip's) its media's available range. */
function _range(
  item: Exclude<ReadItem, ReadTransition>,
  path: string,
  frames: (t: ReadRationalTime) => number,
): { start: number; duration: number } {
  const range: ReadTimeRange | null | undefined = item.source_range ??
    (item.OTIO_SCHEMA === "Gap.1" ? null : activeReference(item)?.available_range);
  if (!range) {
    if (item.OTIO_SCHEMA === "Gap.1") return { start: 0, duration: 0 };
    throw invalidOtio(
      `${path}.source_range`,
      "the clip has no source_range and its media no available_range",
    );
  }
  const duration = frames(range.duration);
  if (duration < 0) throw invalidOtio(`${path}.source_range.duration`, "a duration is 0 or more");
  return { start: frames(range.start_time), duration };
}

/** Our kind: from our metadata, else the transition's name, else its OTIO type. */
function _kindOf(transition: ReadTransition): CutTransitionKind {
  const meta = readMeta(transition.metadata);
  if (meta.kind) return meta.kind;
  const named = CUT_TRANSITIONS.find((k) => k === transition.name);
  if (named) return named;
  // The CMX 3600 adapter writes wipes as "SMPTE_Wipe"; everything else is best shown blended.
  return transition.transition_type === "SMPTE_Wipe" ? "wipeleft" : "dissolve";
}

/**
 * The positions to give items in this order: the ones the file carries when every item has one
 * and they increase strictly; fresh keys otherwise (a reorder elsewhere keeps the old keys on
 * clips that moved).
 */
function _positions(wanted: readonly (string | undefined)[]): string[] {
  const kept = wanted.every((p, i): p is string =>
    p !== undefined && (i === 0 || (wanted[i - 1] as string) < p)
  );
  return kept ? [...wanted] as string[] : generateNKeysBetween(null, null, wanted.length);
}

/**
 * Whether an audio track is the picture clips' own sound as the export writes it (its marker
 * may be lost in another tool): the picture track's items in the same places, clips of the
 * same media or silence, transitions of the same offsets.
 */
function _mirrors(
  sound: ReadTrack,
  picture: ReadTrack,
  frames: (t: ReadRationalTime) => number,
): boolean {
  if (sound.children.length !== picture.children.length) return false;
  let clips = 0;
  const ok = sound.children.every((item, index) => {
    const twin = picture.children[index]!;
    if (item.OTIO_SCHEMA === "Transition.1" || twin.OTIO_SCHEMA === "Transition.1") {
      return item.OTIO_SCHEMA === "Transition.1" && twin.OTIO_SCHEMA === "Transition.1" &&
        frames(item.in_offset) === frames(twin.in_offset) &&
        frames(item.out_offset) === frames(twin.out_offset);
    }
    const a = item.source_range, b = twin.source_range;
    if (!a || !b || frames(a.duration) !== frames(b.duration)) return false;
    if (item.OTIO_SCHEMA === "Gap.1") return true;
    clips++;
    return twin.OTIO_SCHEMA !== "Gap.1" &&
      frames(a.start_time) === frames(b.start_time) &&
      activeReference(item)?.target_url === activeReference(twin)?.target_url;
  });
  return ok && clips > 0;
}

/** The imported cut, refused whole (422, naming each problem) if it breaks a cut rule. */
function _checked(candidate: Cut): Cut {
  const parsed = cutSchema.safeParse(candidate);
  const issues = parsed.success
    ? cutProblems(parsed.data).map((p) => ({ path: p.field, message: p.message }))
    : parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  if (issues.length > 0) throw otioRefusal(issues, "the timeline does not make a sound cut: ");
  return parsed.data!;
}
