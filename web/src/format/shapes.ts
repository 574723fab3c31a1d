/**
 * Shapes on a picture for review comments: where the picture really is inside its element
 * (`object-fit: contain` leaves bars), and the normalised rectangle between two pointer points.
 */
import type { CommentShape } from "../../../protocol/review.ts";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The picture's box on screen inside an `<img>` or `<video>` drawn with `object-fit: contain`. */
export function pictureBox(media: HTMLElement): Box {
  const r = media.getBoundingClientRect();
  const natural = media instanceof HTMLVideoElement
    ? { w: media.videoWidth, h: media.videoHeight }
    : media instanceof HTMLImageElement
    ? { w: media.naturalWidth, h: media.naturalHeight }
    : { w: 0, h: 0 };
  return containedBox(r, natural.w, natural.h);
}

/** `outer` with a picture of `w`×`h` fitted inside, centred (the whole box when unknown). */
export function containedBox(outer: Box, w: number, h: number): Box {
  if (!(w > 0 && h > 0 && outer.width > 0 && outer.height > 0)) return outer;
  const scale = Math.min(outer.width / w, outer.height / h);
  const width = w * scale, height = h * scale;
  return {
    left: outer.left + (outer.width - width) / 2,
    top: outer.top + (outer.height - height) / 2,
    width,
    height,
  };
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The rectangle between two points on screen, normalised to `picture` and kept inside it; a
 * click without a drag (under 1 % either way) is a point.
 */
export function shapeBetween(
  picture: Box,
  a: { x: number; y: number },
  b: { x: number; y: number },
): CommentShape {
  const nx = (x: number) => clamp01((x - picture.left) / picture.width);
  const ny = (y: number) => clamp01((y - picture.top) / picture.height);
  const [x1, x2] = [nx(a.x), nx(b.x)].sort((p, q) => p - q) as [number, number];
  const [y1, y2] = [ny(a.y), ny(b.y)].sort((p, q) => p - q) as [number, number];
  if (x2 - x1 < 0.01 && y2 - y1 < 0.01) return { kind: "point", x: round(x1), y: round(y1) };
  const x = round(x1), y = round(y1);
  return {
    kind: "rect",
    x,
    y,
    w: Math.min(round(x2 - x1), 1 - x),
    h: Math.min(round(y2 - y1), 1 - y),
  };
}
