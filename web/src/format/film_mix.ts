/**
 * What the picture shows at a frame of a cut played from its takes, transitions included: one
 * take, or during a transition the outgoing and the incoming take mixed as the render mixes them
 * (ffmpeg's `xfade`): a crossfade or dissolve fades the incoming take in over the outgoing one, a
 * fade through black fades one out and then the other in, a wipe uncovers the incoming take from
 * one side. The page draws each layer with a video element of its own (`components/film_layers.ts`),
 * so the timeline's preview and the review page play transitions the same way, without a render.
 *
 * @example
 * ```ts
 * const layers = filmLayersAt(layoutVideo(cut).clips, 42, (p) => urlOf(p.clip.nodeId));
 * // during a dissolve: [{ url: a, opacity: 1, ... }, { url: b, opacity: 0.5, ... }]
 * ```
 */
import type { CutTransitionKind, PlacedClip, Trimmed } from "../../../protocol/cut.ts";

/** A clip at one of its take's frames. */
export interface Shown<T extends Trimmed = Trimmed> {
  placed: PlacedClip<T>;
  /** The frame of its take that shows. */
  source: number;
}

/** The clip at a film frame, and during a transition the one coming in and how far it came. */
export interface Mix<T extends Trimmed = Trimmed> {
  from: Shown<T>;
  /** The incoming clip during a transition, else null. */
  to: Shown<T> | null;
  kind: CutTransitionKind | null;
  /** How far the transition has gone at the middle of this frame, in (0, 1); 0 outside one. */
  progress: number;
  /**
   * The clip the timeline names at this frame (`playingAt`): the incoming one from the
   * transition's middle frame on.
   */
  main: "from" | "to";
}

/** What shows at film frame `frame`, or null after the end. */
export function mixAt<T extends Trimmed>(
  placed: readonly PlacedClip<T>[],
  frame: number,
): Mix<T> | null {
  const index = placed.findIndex((p) => frame >= p.recordIn && frame < p.recordOut);
  const p = placed[index];
  if (!p) return null;
  const from = { placed: p, source: p.clip.in + (frame - p.recordIn) };
  const next = placed[index + 1];
  // Found first, a clip owns its outgoing transition: the next clip's first frames overlap it.
  if (!next || p.overlapOut === 0 || frame < next.recordIn) {
    return { from, to: null, kind: null, progress: 0, main: "from" };
  }
  return {
    from,
    to: { placed: next, source: next.clip.in + (frame - next.recordIn) },
    kind: p.clip.transition?.kind ?? "crossfade",
    progress: (frame - next.recordIn + 0.5) / p.overlapOut,
    main: frame - next.recordIn >= Math.ceil(p.overlapOut / 2) ? "to" : "from",
  };
}

/** How one layer is drawn: its opacity, the CSS `clip-path` that shows part of it, its volume. */
export interface LayerLook {
  opacity: number;
  clip: string;
  volume: number;
}

const WHOLE = "none";

/**
 * How the outgoing (`from`, drawn below) and incoming (`to`, above) takes look `progress` of the
 * way through a transition of `kind`. Sound crossfades whatever the picture does, as the render's
 * `acrossfade` does.
 */
export function transitionLooks(
  kind: CutTransitionKind,
  progress: number,
): { from: LayerLook; to: LayerLook } {
  const p = Math.min(1, Math.max(0, progress));
  const volume = { from: 1 - p, to: p };
  const rest = `${((1 - p) * 100).toFixed(2)}%`;
  // The part of the picture the incoming take covers so far, the way each wipe moves.
  const wipe: Partial<Record<CutTransitionKind, string>> = {
    wipeleft: `inset(0 0 0 ${rest})`,
    wiperight: `inset(0 ${rest} 0 0)`,
    wipeup: `inset(${rest} 0 0 0)`,
    wipedown: `inset(0 0 ${rest} 0)`,
  };
  if (kind === "fadeblack") {
    return {
      from: { opacity: Math.max(0, 1 - 2 * p), clip: WHOLE, volume: volume.from },
      to: { opacity: Math.max(0, 2 * p - 1), clip: WHOLE, volume: volume.to },
    };
  }
  return {
    from: { opacity: 1, clip: WHOLE, volume: volume.from },
    to: wipe[kind]
      ? { opacity: 1, clip: wipe[kind]!, volume: volume.to }
      : { opacity: p, clip: WHOLE, volume: volume.to },
  };
}

/** One picture to draw: a file at a time in it, how it looks, and whether it is the main one. */
export interface FilmLayer {
  url: string;
  /** Seconds into the file. */
  seconds: number;
  look: LayerLook;
  /**
   * The clip under the playhead as the timeline names it (the incoming one from a transition's
   * middle on): what a comment or a trim at this frame is about.
   */
  main: boolean;
}

/**
 * The layers to draw at film frame `frame`, bottom first: none for a gap or after the end, one for
 * a clip, two during a transition. A gap on one side of a transition is black: the other take
 * fades out (or in) through it. `fileOf` names a clip's take file, null for a gap.
 */
export function filmLayersAt<T extends Trimmed>(
  placed: readonly PlacedClip<T>[],
  frame: number,
  fps: number,
  fileOf: (placed: PlacedClip<T>) => string | null,
): FilmLayer[] {
  const mix = mixAt(placed, frame);
  if (!mix) return [];
  const layer = (shown: Shown<T>, look: LayerLook, main: boolean): FilmLayer[] => {
    const url = fileOf(shown.placed);
    return url ? [{ url, seconds: shown.source / fps, look, main }] : [];
  };
  if (!mix.to) return layer(mix.from, { opacity: 1, clip: WHOLE, volume: 1 }, true);
  const gap = fileOf(mix.from.placed) === null || fileOf(mix.to.placed) === null;
  const looks = transitionLooks(gap ? "fadeblack" : mix.kind!, mix.progress);
  if (gap) {
    // Through black evenly: one take fades while the other is black.
    looks.from.opacity = 1 - mix.progress;
    looks.to.opacity = mix.progress;
  }
  const incoming = mix.main === "to";
  return [...layer(mix.from, looks.from, !incoming), ...layer(mix.to, looks.to, incoming)];
}
