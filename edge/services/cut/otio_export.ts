/**
 * The cut as an OpenTimelineIO timeline, for DaVinci Resolve, Premiere or Avid: a `Timeline.1`
 * whose `Stack.1` holds the picture track, the picture clips' own sound when any take has
 * some, and one audio track per lane of each of our audio tracks. Clips play their node's
 * selected take (`ExternalReference.1`); a clip without a take is a `Gap.1` of its length;
 * transitions are `Transition.1`, with the neighbouring clips trimmed so that every frame of the
 * OTIO timeline shows the same source frames as ours (the arithmetic is in overlap.ts).
 *
 * @example
 * ```ts
 * const text = serializeOtio(exportOtio(cut, media, { relative: true }));
 * ```
 */
import {
  type AudioClip,
  audioTracks,
  type Cut,
  type CutTransitionKind,
  layoutVideo,
  type PlacedClip,
} from "../../../protocol/cut.ts";
import type { CutMedia, CutMediaMap } from "./media.ts";
import * as otio from "./otio_objects.ts";
import {
  type AudioClipMeta,
  type AudioTrackMeta,
  ours,
  SHOT_SOUND_ROLE,
  type TimelineMeta,
  type TransitionMeta,
  type VideoClipMeta,
} from "./otio_metadata.ts";
import { otioOffsets, otioSourceRange } from "./overlap.ts";

export interface OtioExportOptions {
  /** Point media at their production-convention relative paths instead of download URLs. */
  relative?: boolean;
}

/** What a clip without a take is called in the editing tool. */
export const GAP_NAME = "no take";

export function exportOtio(
  cut: Cut,
  media: CutMediaMap,
  options: OtioExportOptions = {},
): otio.Timeline {
  const fps = cut.format.fps;
  const reference = (m: CutMedia) =>
    otio.externalReference(
      m.name,
      options.relative ? m.relativePath : m.url,
      m.durationFrames === undefined ? null : otio.timeRange(0, m.durationFrames, fps),
    );
  const placed = layoutVideo(cut).clips;
  const tracks = [
    otio.track(
      "Picture",
      "Video",
      _pictureItems(placed, fps, (nodeId) => {
        const m = media.get(nodeId);
        return m && reference(m);
      }),
      {},
    ),
  ];
  if (placed.some((p) => media.get(p.clip.nodeId)?.hasAudio)) {
    const sound = _pictureItems(placed, fps, (nodeId) => {
      const m = media.get(nodeId);
      return m?.hasAudio ? reference(m) : undefined;
    }, true);
    tracks.push(otio.track("Shot sound", "Audio", sound, ours({ role: SHOT_SOUND_ROLE })));
  }
  for (const { track, clips } of audioTracks(cut)) {
    _lanes(clips).forEach((lane, index) => {
      const children = _audioItems(lane, fps, (nodeId) => {
        const m = media.get(nodeId);
        return m && reference(m);
      });
      const meta: AudioTrackMeta = {
        trackId: track.id,
        name: track.name,
        position: track.position,
        lane: index,
      };
      const name = index === 0 ? track.name : `${track.name} (${index + 1})`;
      tracks.push(otio.track(name, "Audio", children, ours(meta)));
    });
  }
  const meta: TimelineMeta = { cutId: cut.id, format: { ...cut.format } };
  return {
    OTIO_SCHEMA: "Timeline.1",
    metadata: ours(meta),
    name: cut.name,
    global_start_time: otio.rationalTime(0, fps),
    tracks: otio.stack(tracks),
  };
}

/** The timeline as the reference library writes files: JSON indented by four spaces. */
export function serializeOtio(timeline: otio.Timeline): string {
  return JSON.stringify(timeline, null, 4) + "\n";
}

/**
 * The picture track's items: each clip trimmed by the offsets of the transitions at its ends,
 * transitions between them. Or the same for the picture's own sound: every transition a
 * crossfade, silence where a take has no sound, and no clip metadata (the import skips the
 * track; our clip ids there would only be doubles).
 */
function _pictureItems(
  placed: readonly PlacedClip[],
  fps: number,
  referenceOf: (nodeId: string) => otio.ExternalReference | undefined,
  sound = false,
): otio.TrackItem[] {
  const items: otio.TrackItem[] = [];
  for (const { clip, overlapIn, overlapOut } of placed) {
    const head = overlapIn > 0 ? otioOffsets(overlapIn).inOffset : 0;
    const tail = overlapOut > 0 ? otioOffsets(overlapOut).outOffset : 0;
    const range = otioSourceRange(clip, { head, tail });
    const sourceRange = otio.timeRange(range.start, range.duration, fps);
    const meta: VideoClipMeta = { clipId: clip.id, nodeId: clip.nodeId, position: clip.position };
    const metadata = sound ? {} : ours(meta);
    const reference = referenceOf(clip.nodeId);
    items.push(
      reference
        ? otio.clip(reference.name, sourceRange, reference, metadata)
        : otio.gap(sound ? "" : GAP_NAME, sourceRange, metadata),
    );
    if (overlapOut > 0 && clip.transition) {
      const kind: CutTransitionKind = sound ? "crossfade" : clip.transition.kind;
      const { inOffset, outOffset } = otioOffsets(overlapOut);
      const transitionMeta: TransitionMeta = { kind };
      items.push(
        otio.transition(
          kind,
          _transitionType(kind),
          inOffset,
          outOffset,
          fps,
          ours(transitionMeta),
        ),
      );
    }
  }
  return items;
}

/** Dissolves and crossfades are OTIO's one standard transition; the rest are custom. */
function _transitionType(kind: CutTransitionKind): otio.TransitionType {
  return kind === "dissolve" || kind === "crossfade" ? "SMPTE_Dissolve" : "Custom_Transition";
}

/**
 * Our audio clips may overlap on one track; an OTIO track's may not (outside transitions). Each
 * clip, by start frame, goes to the first lane that is free by then.
 */
function _lanes(clips: readonly AudioClip[]): AudioClip[][] {
  const lanes: AudioClip[][] = [[]];
  const ends = [0];
  for (const clip of clips) {
    let lane = ends.findIndex((end) => end <= clip.start);
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
      ends.push(0);
    }
    lanes[lane]!.push(clip);
    ends[lane] = clip.start + clip.out - clip.in;
  }
  return lanes;
}

/** One lane's clips placed at their start frames, with gaps between. */
function _audioItems(
  lane: readonly AudioClip[],
  fps: number,
  referenceOf: (nodeId: string) => otio.ExternalReference | undefined,
): otio.TrackItem[] {
  const items: otio.TrackItem[] = [];
  let cursor = 0;
  for (const clip of lane) {
    if (clip.start > cursor) {
      items.push(otio.gap("", otio.timeRange(0, clip.start - cursor, fps), {}));
    }
    const sourceRange = otio.timeRange(clip.in, clip.out - clip.in, fps);
    const meta: AudioClipMeta = { clipId: clip.id, nodeId: clip.nodeId, gainDb: clip.gainDb };
    const reference = referenceOf(clip.nodeId);
    items.push(
      reference
        ? otio.clip(reference.name, sourceRange, reference, ours(meta))
        : otio.gap(GAP_NAME, sourceRange, ours(meta)),
    );
    cursor = clip.start + clip.out - clip.in;
  }
  return items;
}
