/**
 * Where a comment may sit on a take: a frame of a video (at the take's rate, within its length
 * when the take says how long it is), or nowhere in time for a still image. Takes record what
 * their node asked for (`fps`, `frames`, `seconds` in params); the player assumes the same rate.
 */
import type { TakeRow } from "../jobs/takes.ts";

/** The rate the player assumes for a video whose node named none (web/src/format/frames.ts). */
export const ASSUMED_FPS = 24;

export type TakeTiming =
  | { kind: "video"; fps: number; frames: number | null }
  | { kind: "image" }
  | { kind: "other" };

export function takeTiming(take: Pick<TakeRow, "contentType" | "params">): TakeTiming {
  const kind = take.contentType.split("/")[0];
  if (kind === "image") return { kind: "image" };
  if (kind !== "video") return { kind: "other" };
  const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;
  const fps = positive(take.params["fps"]) ? Math.round(take.params["fps"] as number) : ASSUMED_FPS;
  const frames = positive(take.params["frames"])
    ? Math.round(take.params["frames"] as number)
    : positive(take.params["seconds"])
    ? Math.max(1, Math.round((take.params["seconds"] as number) * fps))
    : null;
  return { kind: "video", fps, frames };
}
