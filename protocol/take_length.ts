/**
 * How much of a take a clip can play: the take's real length (ffprobe's facts, `MediaFacts`,
 * stored with every video take) in whole frames of the cut's rate, and the rule that a clip's
 * trim ends within it. The live graph's authority, the room, knows no takes (the edge holds them
 * and who circled which), and a select may change the take under a clip at any time, so the room
 * cannot refuse a trim on this ground; the timeline applies the rule as it trims and marks a clip
 * that reads past its take's end (the render holds the take's last frame there). A take without
 * facts (from before they were kept, or sound) has no known length: nothing is limited.
 *
 * @example
 * ```ts
 * takeFrames({ durationSeconds: 2 }, 24); // 48
 * pastTake({ id: "v1", in: 0, out: 60 }, 48, 24)?.message; // "the take is 48 frames long ..."
 * ```
 */
import { type CutProblem, timecode } from "./cut.ts";
import type { MediaFacts } from "./jobs.ts";

/** The whole frames at `fps` that a take with these facts holds; null when its length is unknown. */
export function takeFrames(
  media: Pick<MediaFacts, "durationSeconds"> | null | undefined,
  fps: number,
): number | null {
  if (!media || !(media.durationSeconds > 0)) return null;
  // ffprobe rounds durations: a thousandth of a frame short still counts as the whole frame.
  return Math.max(1, Math.floor(media.durationSeconds * fps + 1e-3));
}

/** Why a take of `frames` frames cannot play as far as the clip reads, said to its editor. */
export function takeEndsAt(frames: number, fps: number): string {
  const end = timecode(frames, fps);
  return `the take is ${frames} frames long (${end}): a clip cannot play past its end`;
}

/** The clip reads past its take's end (a take of `frames` frames), or null when it fits. */
export function pastTake(
  clip: { id: string; out: number },
  frames: number | null,
  fps: number,
): CutProblem | null {
  if (frames === null || clip.out <= frames) return null;
  return {
    field: `clips.${clip.id}.out`,
    message: `${takeEndsAt(frames, fps)}, not at frame ${clip.out}`,
  };
}
