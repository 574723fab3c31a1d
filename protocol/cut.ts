/**
 * The cut: a film assembled from the project's nodes. One video track of clips in order, each
 * playing its node's selected take trimmed to `in`..`out`, with an optional transition into the
 * next clip; and audio tracks of clips placed at a start frame with a gain. Shared by the room
 * (rules for cut edits), the edge (render jobs, OpenTimelineIO and EDL export), the agent (the
 * `cut.render` job) and the web app (timeline, preview).
 *
 * Time is counted in frames of the cut's own rate (`format.fps`), never in seconds: a clip's
 * `in`/`out` are frames from the start of its take (`out` exclusive), so its length is
 * `out - in`. A transition of `frames` from clip A into clip B overlaps A's last `frames` frames
 * with B's first `frames` frames; the film is the sum of the clips' lengths less the sum of
 * the transitions. A clip whose node was deleted, or has no take yet, keeps its place and length
 * and plays as a gap (black and silence), so one missing take never fails the whole cut.
 *
 * @example
 * ```ts
 * import { cutSchema, layoutVideo, timecode } from "./cut.ts";
 * const cut = cutSchema.parse(json);
 * const { clips, duration } = layoutVideo(cut);
 * timecode(duration, cut.format.fps); // "00:01:00:00"
 * ```
 */
import { z } from "zod";
import { graphIdSchema } from "./graph_id.ts";

/** A cut's output picture and rate. Sizes are even (H.264 with 4:2:0 needs that). */
export const cutFormatSchema = z.object({
  width: z.number().int().min(64).max(7680).multipleOf(2, "width is an even number"),
  height: z.number().int().min(64).max(4320).multipleOf(2, "height is an even number"),
  /** Whole frames per second; timecodes are non-drop-frame. */
  fps: z.number().int().min(1).max(120),
}).strict();
export type CutFormat = z.infer<typeof cutFormatSchema>;

/** What a new cut gets unless the project says otherwise. */
export const DEFAULT_CUT_FORMAT: CutFormat = Object.freeze({ width: 1280, height: 720, fps: 24 });

/** The longest cut: 4 hours at the highest rate. Bounds every frame number. */
export const MAX_CUT_FRAMES = 4 * 3600 * 120;
/** The most clips (video and audio together) one cut holds. */
export const MAX_CUT_CLIPS = 2000;

/**
 * Transition kinds: the transition node's vocabulary (crossfade and wipes) plus a dissolve and a
 * fade through black. Each maps to one ffmpeg `xfade` transition and one EDL/OTIO type.
 */
export const CUT_TRANSITIONS = [
  "crossfade",
  "dissolve",
  "fadeblack",
  "wipeleft",
  "wiperight",
  "wipeup",
  "wipedown",
] as const;
export type CutTransitionKind = typeof CUT_TRANSITIONS[number];

export const frameCount = z.number().int().min(0).max(MAX_CUT_FRAMES);

export const cutTransitionSchema = z.object({
  kind: z.enum(CUT_TRANSITIONS),
  frames: z.number().int().min(1).max(MAX_CUT_FRAMES),
}).strict();
export type CutTransition = z.infer<typeof cutTransitionSchema>;

/**
 * Order on the video track: a fractional-index key (the `fractional-indexing` package's
 * alphabet), compared as plain strings, ties broken by clip id. Moving a clip changes only its
 * own key, so two people reordering different clips at once both keep their move.
 */
export const positionKeySchema = z.string().regex(
  /^[0-9A-Za-z]{1,64}$/,
  "position is 1-64 letters or digits",
);

const trimmed = {
  /** Frames into the take where the clip starts. */
  in: frameCount,
  /** Frames into the take where the clip ends (exclusive); more than `in`. */
  out: frameCount,
};

export const videoClipSchema = z.object({
  id: graphIdSchema,
  kind: z.literal("video"),
  /** The node whose selected take plays here. */
  nodeId: graphIdSchema,
  position: positionKeySchema,
  ...trimmed,
  /** Into the next clip on the track; ignored on the last clip. */
  transition: cutTransitionSchema.nullable(),
}).strict();
export type VideoClip = z.infer<typeof videoClipSchema>;

export const audioClipSchema = z.object({
  id: graphIdSchema,
  kind: z.literal("audio"),
  /** One of the cut's `audioTracks`. */
  trackId: graphIdSchema,
  nodeId: graphIdSchema,
  /** Where on the film's timeline it starts, in frames. */
  start: frameCount,
  ...trimmed,
  gainDb: z.number().min(-60).max(12),
}).strict();
export type AudioClip = z.infer<typeof audioClipSchema>;

export const cutClipSchema = z.discriminatedUnion("kind", [videoClipSchema, audioClipSchema]);
export type CutClip = z.infer<typeof cutClipSchema>;

export const audioTrackSchema = z.object({
  id: graphIdSchema,
  name: z.string().trim().min(1).max(100),
  position: positionKeySchema,
}).strict();
export type AudioTrack = z.infer<typeof audioTrackSchema>;

export const cutNameSchema = z.string().trim().min(1, "a cut needs a name").max(100);

export const cutSchema = z.object({
  id: graphIdSchema,
  name: cutNameSchema,
  format: cutFormatSchema,
  clips: z.record(graphIdSchema, cutClipSchema),
  audioTracks: z.record(graphIdSchema, audioTrackSchema),
}).strict();
export type Cut = z.infer<typeof cutSchema>;

/** A rule a cut breaks, with the field it concerns (for a reject or a 422). */
export interface CutProblem {
  field: string;
  message: string;
}

/** The cut's video clips in play order (position, then id). */
export function videoTrack(cut: Cut): VideoClip[] {
  return Object.values(cut.clips)
    .filter((c): c is VideoClip => c.kind === "video")
    .sort(_byPosition);
}

/** The cut's audio tracks in display order, each with its clips by start frame. */
export function audioTracks(cut: Cut): { track: AudioTrack; clips: AudioClip[] }[] {
  const clips = Object.values(cut.clips).filter((c): c is AudioClip => c.kind === "audio");
  return Object.values(cut.audioTracks).sort(_byPosition).map((track) => ({
    track,
    clips: clips.filter((c) => c.trackId === track.id)
      .sort((a, b) => a.start - b.start || _compare(a.id, b.id)),
  }));
}

/** What the timeline needs of a video clip: its trim and its transition into the next. */
export interface Trimmed {
  in: number;
  out: number;
  transition: CutTransition | null;
}

/** A video clip placed on the film's timeline. */
export interface PlacedClip<T extends Trimmed = VideoClip> {
  clip: T;
  /** Length of the clip: `out - in`. */
  frames: number;
  /** First frame of the film where the clip shows (its incoming transition included). */
  recordIn: number;
  /** Frame after the last one where it shows. */
  recordOut: number;
  /** Frames shared with the previous clip (its transition into this one), 0 if none. */
  overlapIn: number;
  /** Frames shared with the next clip (this clip's transition), 0 if none or last. */
  overlapOut: number;
}

/**
 * Places clips, in play order, on the timeline; `duration` is the track's length in frames.
 * The last clip's transition is ignored (there is nothing to go into).
 */
export function placeClips<T extends Trimmed>(track: readonly T[]): {
  clips: PlacedClip<T>[];
  duration: number;
} {
  const placed: PlacedClip<T>[] = [];
  let recordIn = 0;
  let overlapIn = 0;
  track.forEach((clip, index) => {
    const frames = clip.out - clip.in;
    const overlapOut = index < track.length - 1 ? clip.transition?.frames ?? 0 : 0;
    placed.push({ clip, frames, recordIn, recordOut: recordIn + frames, overlapIn, overlapOut });
    recordIn += frames - overlapOut;
    overlapIn = overlapOut;
  });
  const last = placed[placed.length - 1];
  return { clips: placed, duration: last ? last.recordOut : 0 };
}

/** The cut's video track placed on the timeline. */
export function layoutVideo(cut: Cut): { clips: PlacedClip[]; duration: number } {
  return placeClips(videoTrack(cut));
}

/**
 * Clips whose transitions do not fit: a clip must be at least as long as its incoming and
 * outgoing transitions together. Used on cuts (the room) and on render params (the agent).
 */
export function transitionProblems<T extends Trimmed & { id?: string; clipId?: string }>(
  track: readonly T[],
): CutProblem[] {
  const problems: CutProblem[] = [];
  for (const placed of placeClips(track).clips) {
    const needed = placed.overlapIn + placed.overlapOut;
    if (placed.frames > 0 && needed > placed.frames) {
      const id = placed.clip.id ?? placed.clip.clipId ?? "?";
      problems.push({
        field: `clips.${id}.transition`,
        message: `clip ${id} is ${placed.frames} frames long, shorter than its transitions ` +
          `(${needed} frames): shorten a transition or lengthen the clip`,
      });
    }
  }
  return problems;
}

/** The film's length in frames: the end of its last video or audio clip. */
export function cutDuration(cut: Cut): number {
  let end = layoutVideo(cut).duration;
  for (const clip of Object.values(cut.clips)) {
    if (clip.kind === "audio") end = Math.max(end, clip.start + clip.out - clip.in);
  }
  return end;
}

/**
 * Every rule the cut breaks: a trim whose `out` is not after its `in`, a transition that does not
 * fit between its two clips (a clip must be at least as long as its incoming and outgoing
 * transitions together), an audio clip on a track the cut does not have, a film longer than
 * `MAX_CUT_FRAMES`, more than `MAX_CUT_CLIPS` clips. Empty when the cut is sound. The room
 * refuses an edit that adds a problem; render and export only ever see sound cuts.
 */
export function cutProblems(cut: Cut): CutProblem[] {
  const problems: CutProblem[] = [];
  const clips = Object.values(cut.clips);
  if (clips.length > MAX_CUT_CLIPS) {
    problems.push({ field: "clips", message: `a cut holds at most ${MAX_CUT_CLIPS} clips` });
  }
  for (const clip of clips) {
    if (clip.out <= clip.in) {
      problems.push({
        field: `clips.${clip.id}.out`,
        message: `the clip must end after it starts (in ${clip.in}, out ${clip.out})`,
      });
    }
    if (clip.kind === "audio" && !Object.hasOwn(cut.audioTracks, clip.trackId)) {
      problems.push({
        field: `clips.${clip.id}.trackId`,
        message: `the cut has no audio track ${clip.trackId}`,
      });
    }
  }
  problems.push(...transitionProblems(videoTrack(cut)));
  if (cutDuration(cut) > MAX_CUT_FRAMES) {
    problems.push({ field: "clips", message: `a cut is at most ${MAX_CUT_FRAMES} frames long` });
  }
  return problems;
}

/** Non-drop-frame timecode `HH:MM:SS:FF` of a frame number at a whole-number rate. */
export function timecode(frame: number, fps: number): string {
  const whole = Math.max(0, Math.floor(frame));
  const ff = whole % fps;
  const totalSeconds = Math.floor(whole / fps);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${
    pad(totalSeconds % 60)
  }:${pad(ff)}`;
}

// ---------------------------------------------------------------- the render job

/**
 * Params of a `cut.render` job, made by the edge from a cut at one revision with each clip's
 * selected take resolved. `input` names the job input (`JobInputRef.socket`) holding the take's
 * file; clips that share a take share an input. `input: null` is a gap: black picture and
 * silence for the clip's length. Names never reach a shell or a filter string: the agent
 * builds its ffmpeg argv from these numbers and the files it downloaded.
 */
export const cutRenderParamsSchema = z.object({
  cutId: graphIdSchema,
  /** The cut's name as people see it (the file name is the edge's business). */
  cutName: cutNameSchema,
  /** The graph revision the cut was read from (lineage). */
  revision: z.number().int().min(1),
  format: cutFormatSchema,
  video: z.array(
    z.object({
      clipId: graphIdSchema,
      input: graphIdSchema.nullable(),
      ...trimmed,
      transition: cutTransitionSchema.nullable(),
    }).strict(),
  ).min(1, "a cut needs at least one video clip to render").max(MAX_CUT_CLIPS),
  audio: z.array(
    z.object({
      clipId: graphIdSchema,
      input: graphIdSchema,
      start: frameCount,
      ...trimmed,
      gainDb: z.number().min(-60).max(12),
    }).strict(),
  ).max(MAX_CUT_CLIPS),
}).strict();
export type CutRenderParams = z.infer<typeof cutRenderParamsSchema>;

function _compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function _byPosition(a: { position: string; id: string }, b: { position: string; id: string }) {
  return _compare(a.position, b.position) || _compare(a.id, b.id);
}
