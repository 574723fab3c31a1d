/**
 * Where new nodes go when the user did not point at a spot (a palette click, Enter in the
 * filter, Ctrl+D): the free room nearest to where they are looking, so a new card never lands on
 * top of another. Pure: the engine hands in what is taken.
 */
import type { Point, Rect } from "./viewport.ts";

/** Room kept between a new card and its neighbours, in world units. */
export const PLACE_GAP = 24;
/** Candidates are this far apart (the canvas grid), in rings around the wanted point. */
const STEP = 24;
/** Rings searched before giving up (about 2,400 world units each way). */
const MAX_RINGS = 100;

/**
 * The top-left corner nearest to `want` where a `size` box, with `PLACE_GAP` around it, touches
 * nothing `taken` reports, inside `view` when there is room there (what the user can see), else
 * anywhere near; `want` itself when nothing free is near (the canvas is packed).
 */
export function freeSpot(
  want: Point,
  size: { w: number; h: number },
  taken: (r: Rect) => boolean,
  view?: Rect,
): Point {
  const free = (p: Point) =>
    !taken({
      x: p.x - PLACE_GAP,
      y: p.y - PLACE_GAP,
      w: size.w + 2 * PLACE_GAP,
      h: size.h + 2 * PLACE_GAP,
    });
  const seen = (p: Point) =>
    !view || (p.x >= view.x && p.y >= view.y && p.x + size.w <= view.x + view.w &&
      p.y + size.h <= view.y + view.h);
  return _nearest(want, (p) => seen(p) && free(p)) ?? _nearest(want, free) ?? want;
}

function _nearest(want: Point, fits: (p: Point) => boolean): Point | null {
  if (fits(want)) return want;
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    const spots: Point[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (const j of Math.abs(i) === ring ? range(-ring, ring) : [-ring, ring]) {
        spots.push({ x: want.x + i * STEP, y: want.y + j * STEP });
      }
    }
    // Nearest first; on a tie, right of and below the wanted point, as reading goes.
    const d = (p: Point) => Math.hypot(p.x - want.x, p.y - want.y);
    spots.sort((a, b) => d(a) - d(b) || b.x - a.x || b.y - a.y);
    const found = spots.find(fits);
    if (found) return found;
  }
  return null;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
