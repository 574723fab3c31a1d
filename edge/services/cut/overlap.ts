/**
 * Our transitions against OpenTimelineIO's: the one piece of arithmetic both the export and the
 * import depend on, so it lives once.
 *
 * Ours: a transition of N frames from clip A (trim `inA..outA`, length LA) into clip B (trim
 * `inB..outB`, length LB) overlaps A's last N frames with B's first N frames. On the film, A
 * starts at `a`, B at `a + LA - N`, and the transition window is `[a + LA - N, a + LA)`: there
 * A shows its source frames `outA - N .. outA` and B its frames `inB .. inB + N`.
 *
 * OTIO's (Track::range_of_child_at_index and Track::handles_of_child in the reference library):
 * a Transition takes no time of its own; its neighbours A' and B' sit end to end, A' from `a` for
 * its `source_range` duration dA', so the cut point is `c = a + dA'`. The transition covers
 * `[c - in_offset, c + out_offset)`; over it, A' keeps playing `out_offset` frames past its
 * source end (its tail handle) and B' starts `in_offset` frames before its source start (its
 * head handle). So with i = in_offset and o = out_offset, over the window A' shows
 * `startA' + dA' - i .. startA' + dA' + o` and B' shows `startB' - i .. startB' + o`.
 *
 * Equal windows and equal frames: `i + o = N` (same length); `c - i = a + LA - N` (same start),
 * so `dA' = LA - o`; A's frames at the window start agree, `startA' + dA' - i = outA - N`, so
 * `startA' = inA` (A' is A with `o` frames cut from its tail); and B's, `startB' - i = inB`, so
 * `startB' = inB + i` and, for B' to end where B ends, `dB' = LB - i` (B' is B with `i` frames cut
 * from its head). The track then lasts `dA' + dB' = LA + LB - N`: our length. A clip with
 * transitions at both ends loses `i` of the incoming one from its head and `o` of the outgoing
 * one from its tail; because our rule keeps every clip at least as long as both its transitions,
 * neither offset ever reaches past a trimmed neighbour, as OTIO requires.
 *
 * Any split with `i + o = N` is exact; the export centres the transition on the cut
 * (`i = floor(N / 2)`, `o = ceil(N / 2)`: for N = 5, i = 2 and o = 3), as editing tools draw a
 * dissolve "centred on edit". The import reads any split back (CMX-derived files use i = 0).
 */

/** OTIO offsets for a transition of `frames` frames. */
export function otioOffsets(frames: number): { inOffset: number; outOffset: number } {
  const inOffset = Math.floor(frames / 2);
  return { inOffset, outOffset: frames - inOffset };
}

/** Frames of a clip's trim before OTIO's source range starts, and after it ends. */
export interface Handles {
  /** `in_offset` of the transition before the clip (0 if none). */
  head: number;
  /** `out_offset` of the transition after the clip (0 if none). */
  tail: number;
}

/** The OTIO source range of a clip trimmed `in..out` with these handles. */
export function otioSourceRange(
  trim: { in: number; out: number },
  handles: Handles,
): { start: number; duration: number } {
  return {
    start: trim.in + handles.head,
    duration: trim.out - trim.in - handles.head - handles.tail,
  };
}

/** The inverse: our trim from an OTIO source range and the handles its transitions read. */
export function trimFromOtio(
  range: { start: number; duration: number },
  handles: Handles,
): { in: number; out: number } {
  return { in: range.start - handles.head, out: range.start + range.duration + handles.tail };
}
