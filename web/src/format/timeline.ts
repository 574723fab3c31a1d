/**
 * The timeline's arithmetic, free of the DOM: which clip and source frame play at a film frame
 * (preview), where a dragged clip lands (its new position key), what an edge drag or I/O does to
 * a trim. The component binds these to pointer and key input.
 *
 * @example
 * ```ts
 * const at = playingAt(layoutVideo(cut).clips, 130); // { placed, source: 34 } or null
 * const key = positionForMove(videoTrack(cut), "v3", 0); // before the first clip
 * snapDelta([10], 35, [48], 4); // 38: the edge at 10 lands on the mark at 48
 * ```
 */
import { generateKeyBetween } from "fractional-indexing";
import type { AudioClip, CutClip, PlacedClip, VideoClip } from "../../../protocol/cut.ts";

/**
 * The clip showing at film frame `frame` and the frame of its take that shows; during a
 * transition the incoming clip (the preview plays transitions as cuts at their midpoint).
 */
export function playingAt(
  placed: readonly PlacedClip[],
  frame: number,
): { placed: PlacedClip; source: number } | null {
  for (const p of placed) {
    // A transition's first half still shows the outgoing clip, its second half the incoming.
    const start = p.recordIn + Math.ceil(p.overlapIn / 2);
    const end = p.recordOut - Math.floor(p.overlapOut / 2);
    if (frame >= start && frame < end) {
      return { placed: p, source: p.clip.in + (frame - p.recordIn) };
    }
  }
  return null;
}

/** The position key that puts clip `clipId` at index `to` of the track (the others keep theirs). */
export function positionForMove(track: readonly VideoClip[], clipId: string, to: number): string {
  const others = track.filter((c) => c.id !== clipId);
  const index = Math.max(0, Math.min(to, others.length));
  return generateKeyBetween(others[index - 1]?.position ?? null, others[index]?.position ?? null);
}

/** The position key after the last clip: where an added clip goes. */
export function positionAtEnd(track: readonly VideoClip[]): string {
  return generateKeyBetween(track.at(-1)?.position ?? null, null);
}

/**
 * A trim moved by `delta` frames at one edge: `in` stays within [0, out - 1], `out` above `in`;
 * with `limit`, the take's length in frames when known (protocol/take_length.ts), neither edge
 * passes the take's end.
 */
export function trimEdge(
  clip: { in: number; out: number },
  edge: "in" | "out",
  delta: number,
  limit: number | null = null,
): { in: number; out: number } {
  const end = limit ?? Infinity;
  if (edge === "in") {
    return { in: Math.max(0, Math.min(clip.out - 1, end - 1, clip.in + delta)), out: clip.out };
  }
  return { in: clip.in, out: Math.max(clip.in + 1, Math.min(end, clip.out + delta)) };
}

/** How near, in pixels, a dragged clip or edge comes to a mark before it snaps to it. */
export const SNAP_PIXELS = 8;

/**
 * A drag of `delta` frames, adjusted so that the dragged edge (of `edges`, in film frames before
 * the drag) nearest to one of `marks` (other clips' edges, the playhead) lands on it, if it comes
 * within `tolerance` frames; otherwise `delta` as it is. Video trims and every audio drag snap
 * through this one rule.
 */
export function snapDelta(
  edges: readonly number[],
  delta: number,
  marks: readonly number[],
  tolerance: number,
): number {
  let snapped = delta;
  let nearest = Infinity;
  for (const edge of edges) {
    for (const mark of marks) {
      const gap = Math.abs(edge + delta - mark);
      if (gap <= tolerance && gap < nearest) {
        nearest = gap;
        snapped = mark - edge;
      }
    }
  }
  return snapped;
}

/**
 * Where the edges that a drag of `clip` in `mode` moves are on the film before the drag: an audio
 * clip's start and end when moved, the trimmed one when trimmed; a video clip's end for a tail
 * trim (`video`: the track as placed).
 */
export function dragEdges(
  clip: CutClip,
  mode: "move" | "in" | "out",
  video: readonly PlacedClip[],
): number[] {
  if (clip.kind === "video") {
    const placed = video.find((p) => p.clip.id === clip.id);
    return placed ? [placed.recordOut] : [];
  }
  const end = clip.start + clip.out - clip.in;
  return mode === "move" ? [clip.start, end] : [mode === "in" ? clip.start : end];
}

/**
 * What a drag of `clip` snaps to: the film's start, the playhead, and the other clips' edges; for
 * a video clip only the clips before it (those after it move with its end).
 */
export function snapMarks(
  clip: CutClip,
  video: readonly PlacedClip[],
  audio: readonly AudioClip[],
  playhead: number,
): number[] {
  const marks = [0, playhead];
  const mine = video.findIndex((p) => p.clip.id === clip.id);
  for (const p of clip.kind === "video" ? video.slice(0, Math.max(0, mine)) : video) {
    marks.push(p.recordIn, p.recordOut);
  }
  for (const c of audio) if (c.id !== clip.id) marks.push(c.start, c.start + c.out - c.in);
  return marks;
}

/** The index where a clip dragged to `x` (pixels from the track's start) lands. */
export function dropIndex(placed: readonly PlacedClip[], x: number, scale: number): number {
  const frame = x / scale;
  const index = placed.findIndex((p) => frame < (p.recordIn + p.recordOut) / 2);
  return index < 0 ? placed.length : index;
}

/**
 * An audio clip dragged by `delta` frames: "move" shifts its start; "in" trims its head and
 * moves its start with it, so the sound that stays plays where it played before (as editors
 * trim a clip placed in time); "out" trims its tail, not past `limit` (its take's length in
 * frames, when known). It never starts before the film, nor reads before its take's start, and
 * keeps at least one frame. Only what the drag changes is returned: a move and a teammate's trim
 * of the same clip both stay (last writer wins per property in the room).
 */
export function audioEdit(
  clip: { start: number; in: number; out: number },
  mode: "move" | "in" | "out",
  delta: number,
  limit: number | null = null,
): { start?: number; in?: number; out?: number } {
  if (mode === "move") return { start: Math.max(0, clip.start + delta) };
  if (mode === "out") return { out: trimEdge(clip, "out", delta, limit).out };
  const by = Math.max(-clip.in, -clip.start, Math.min(clip.out - clip.in - 1, delta));
  return { start: clip.start + by, in: clip.in + by };
}

/**
 * The longest transition from `clip` into `next` (both as placed): each must hold it beside its
 * other transition, as the room's rules ask (`transitionProblems`).
 */
export function transitionLimit(clip: PlacedClip, next: PlacedClip): number {
  return Math.max(0, Math.min(clip.frames - clip.overlapIn, next.frames - next.overlapOut));
}
