/**
 * Frame arithmetic for the take viewer: a video take's rate, and which frame a media time shows.
 * Frame `n` is on screen from `n / fps` until `(n + 1) / fps`; the viewer seeks to the middle of
 * a frame, so rounding in the decoder never lands on its neighbour.
 */
import type { Take } from "../api/types.ts";

/** Used when a take says nothing of its rate (the cut's default rate). */
export const ASSUMED_FPS = 24;

/**
 * A take's frame rate, and whether it is known: the take's own (`fps`, measured from the file,
 * when the edge records it), else the `fps` its node asked for, else a cut render's `format.fps`,
 * else assumed.
 */
export function fpsOf(take: Take): { fps: number; known: boolean } {
  const measured = (take as Take & { fps?: unknown }).fps;
  const format = take.lineage.params["format"] as { fps?: unknown } | undefined;
  for (const fps of [measured, take.lineage.params["fps"], format?.fps]) {
    if (typeof fps === "number" && Number.isFinite(fps) && fps > 0) return { fps, known: true };
  }
  return { fps: ASSUMED_FPS, known: false };
}

/** The frame on screen at media time `seconds`. */
export function frameAt(seconds: number, fps: number): number {
  // A hair of tolerance: a seek to the start of a frame may read back a microsecond early.
  return Math.max(0, Math.floor(seconds * fps + 1e-3));
}

/** Where to seek to show frame `frame`: its middle. */
export function timeOfFrame(frame: number, fps: number): number {
  return (Math.max(0, frame) + 0.5) / fps;
}

/** How many frames `seconds` of video hold (at least one). */
export function frameCount(seconds: number, fps: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.round(seconds * fps)) : 1;
}
