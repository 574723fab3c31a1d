/**
 * The timeline's zoom and its scale of timecodes: pixels per frame, changed around an anchor (the
 * pointer for ctrl/cmd+wheel, the playhead for the +/- buttons) so the frame under the anchor
 * stays under it; and which frames of the visible stretch get a labelled tick.
 *
 * @example
 * ```ts
 * zoomAround({ scale: 2, scroll: 0 }, 2, 120); // { scale: 4, scroll: 120 }
 * rulerTicks(2, 24, 0, 480); // [0, 48, 96, …]: every two seconds at 2 px a frame
 * ```
 */

/** From a 4-hour cut on a wide screen to single frames a finger wide. */
export const MIN_SCALE = 0.01;
export const MAX_SCALE = 40;
/** Two pixels a frame: 48 px a second at 24 fps. */
export const DEFAULT_SCALE = 2;

export interface Zoom {
  /** Pixels per frame of the cut. */
  scale: number;
  /** Pixels of the lanes scrolled out of view on the left. */
  scroll: number;
}

/** `zoom` times `factor`, keeping the frame at `anchorX` (pixels from the lanes' left edge) there. */
export function zoomAround(zoom: Zoom, factor: number, anchorX: number): Zoom {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, zoom.scale * factor));
  const frame = (zoom.scroll + anchorX) / zoom.scale;
  return { scale, scroll: Math.max(0, frame * scale - anchorX) };
}

/**
 * Frames between `from` and `to` that get a labelled tick: whole multiples of the shortest step
 * (a few frames, a second, minutes) that leaves `gap` pixels between labels.
 */
export function rulerTicks(scale: number, fps: number, from: number, to: number, gap = 90) {
  const steps = [1, 2, 4, 6, 12].filter((f) => f < fps)
    .concat([1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * fps));
  const step = steps.find((s) => s * scale >= gap) ?? steps.at(-1)!;
  const ticks: number[] = [];
  for (let f = Math.max(0, Math.ceil(from / step) * step); f <= to; f += step) ticks.push(f);
  return ticks;
}
