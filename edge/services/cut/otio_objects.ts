/**
 * The OpenTimelineIO objects the export writes, shaped as the reference library serializes them
 * (OpenTimelineIO 0.18+, `src/opentimelineio/*.cpp` `write_to`): the same `OTIO_SCHEMA`
 * versions, every field it writes, in its order. Key order is not meaningful to JSON readers
 * but keeps our files diffable against the library's. Numbers are written as JSON integers
 * where the library writes `24.0`; its reader turns integers into doubles
 * (`deserialization.cpp`, `_fetch(..., double*)`).
 */

export type OtioMetadata = Record<string, unknown>;

export interface RationalTime {
  OTIO_SCHEMA: "RationalTime.1";
  rate: number;
  value: number;
}

export interface TimeRange {
  OTIO_SCHEMA: "TimeRange.1";
  duration: RationalTime;
  start_time: RationalTime;
}

export interface ExternalReference {
  OTIO_SCHEMA: "ExternalReference.1";
  metadata: OtioMetadata;
  name: string;
  available_range: TimeRange | null;
  available_image_bounds: null;
  target_url: string;
}

/** The fields every Item (Clip, Gap, Track, Stack) writes before its own. */
interface ItemFields {
  metadata: OtioMetadata;
  name: string;
  source_range: TimeRange | null;
  effects: never[];
  markers: never[];
  enabled: true;
  color: null;
}

export interface Clip extends ItemFields {
  OTIO_SCHEMA: "Clip.2";
  media_references: { DEFAULT_MEDIA: ExternalReference };
  active_media_reference_key: "DEFAULT_MEDIA";
}

export interface Gap extends ItemFields {
  OTIO_SCHEMA: "Gap.1";
}

/** `SMPTE_Dissolve` and `Custom_Transition` are the library's `Transition::Type` values. */
export type TransitionType = "SMPTE_Dissolve" | "Custom_Transition";

export interface Transition {
  OTIO_SCHEMA: "Transition.1";
  metadata: OtioMetadata;
  name: string;
  in_offset: RationalTime;
  out_offset: RationalTime;
  transition_type: TransitionType;
  enabled: true;
}

export type TrackItem = Clip | Gap | Transition;

export interface Track extends ItemFields {
  OTIO_SCHEMA: "Track.1";
  children: TrackItem[];
  kind: "Video" | "Audio";
}

export interface Stack extends ItemFields {
  OTIO_SCHEMA: "Stack.1";
  children: Track[];
}

export interface Timeline {
  OTIO_SCHEMA: "Timeline.1";
  metadata: OtioMetadata;
  name: string;
  global_start_time: RationalTime;
  tracks: Stack;
}

export function rationalTime(value: number, rate: number): RationalTime {
  return { OTIO_SCHEMA: "RationalTime.1", rate, value };
}

export function timeRange(start: number, duration: number, rate: number): TimeRange {
  return {
    OTIO_SCHEMA: "TimeRange.1",
    duration: rationalTime(duration, rate),
    start_time: rationalTime(start, rate),
  };
}

function _itemFields(
  name: string,
  sourceRange: TimeRange | null,
  metadata: OtioMetadata,
): ItemFields {
  return {
    metadata,
    name,
    source_range: sourceRange,
    effects: [],
    markers: [],
    enabled: true,
    color: null,
  };
}

export function clip(
  name: string,
  sourceRange: TimeRange,
  reference: ExternalReference,
  metadata: OtioMetadata,
): Clip {
  return {
    OTIO_SCHEMA: "Clip.2",
    ..._itemFields(name, sourceRange, metadata),
    media_references: { DEFAULT_MEDIA: reference },
    active_media_reference_key: "DEFAULT_MEDIA",
  };
}

export function externalReference(
  name: string,
  targetUrl: string,
  availableRange: TimeRange | null,
): ExternalReference {
  return {
    OTIO_SCHEMA: "ExternalReference.1",
    metadata: {},
    name,
    available_range: availableRange,
    available_image_bounds: null,
    target_url: targetUrl,
  };
}

export function gap(name: string, sourceRange: TimeRange, metadata: OtioMetadata): Gap {
  return { OTIO_SCHEMA: "Gap.1", ..._itemFields(name, sourceRange, metadata) };
}

export function transition(
  name: string,
  type: TransitionType,
  inOffset: number,
  outOffset: number,
  rate: number,
  metadata: OtioMetadata,
): Transition {
  return {
    OTIO_SCHEMA: "Transition.1",
    metadata,
    name,
    in_offset: rationalTime(inOffset, rate),
    out_offset: rationalTime(outOffset, rate),
    transition_type: type,
    enabled: true,
  };
}

export function track(
  name: string,
  kind: "Video" | "Audio",
  children: TrackItem[],
  metadata: OtioMetadata,
): Track {
  return { OTIO_SCHEMA: "Track.1", ..._itemFields(name, null, metadata), children, kind };
}

export function stack(children: Track[]): Stack {
  return { OTIO_SCHEMA: "Stack.1", ..._itemFields("tracks", null, {}), children };
}
