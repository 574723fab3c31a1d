/**
 * Test fixtures for the cut's interchange formats: the golden cut, random sound cuts, and two
 * independent readings of "which source frames play at each film frame" (ours from
 * protocol/cut.ts, OTIO's from its own rules) so export and import can be checked frame by frame.
 */
import { generateNKeysBetween } from "fractional-indexing";
import {
  type AudioClip,
  type Cut,
  CUT_TRANSITIONS,
  type CutClip,
  cutProblems,
  cutSchema,
  layoutVideo,
  type VideoClip,
} from "../../../protocol/cut.ts";
import type { CutMedia, CutMediaMap, KnownTake } from "./media.ts";
import { OTIO_NAMESPACE, SHOT_SOUND_ROLE } from "./otio_metadata.ts";
import type * as otio from "./otio_objects.ts";

export const BASE_URL = "https://studio.example/api/blobs";

export function takeMedia(
  scene: string,
  shot: string,
  version: number,
  take: number,
  extra: Partial<CutMedia> = {},
): CutMedia {
  const pad = (n: number) => String(n).padStart(2, "0");
  const name = `${shot}_v${pad(version)}_take${pad(take)}.${
    shot.startsWith("MUSIC") || shot.startsWith("VOICE") ? "wav" : "mp4"
  }`;
  const relativePath = `renders/${scene}/${shot}/v${pad(version)}/${name}`;
  return { name, url: `${BASE_URL}/${relativePath}?sig=abc`, relativePath, ...extra };
}

/**
 * The golden cut at 24 fps: a 12-frame dissolve (even), a clip whose node has no take (a gap)
 * with a 5-frame wipe (odd) out of it, a music track and a voice track whose two clips overlap.
 */
export function goldenCut(): { cut: Cut; media: Map<string, CutMedia> } {
  const video = (
    id: string,
    position: string,
    nodeId: string,
    inFrame: number,
    frames: number,
    transition: VideoClip["transition"],
  ): VideoClip => ({
    id,
    kind: "video",
    nodeId,
    position,
    in: inFrame,
    out: inFrame + frames,
    transition,
  });
  const audio = (
    id: string,
    trackId: string,
    nodeId: string,
    start: number,
    inFrame: number,
    frames: number,
    gainDb: number,
  ): AudioClip => ({
    id,
    kind: "audio",
    trackId,
    nodeId,
    start,
    in: inFrame,
    out: inFrame + frames,
    gainDb,
  });
  const clips: CutClip[] = [
    video("clip-a", "a0", "node-a", 10, 48, { kind: "dissolve", frames: 12 }),
    video("clip-b", "a1", "node-b", 0, 72, null),
    video("clip-c", "a2", "node-gone", 0, 24, { kind: "wipeleft", frames: 5 }),
    video("clip-d", "a3", "node-d", 100, 48, null),
    audio("clip-m", "track-music", "node-music", 12, 0, 96, -6),
    audio("clip-v1", "track-voice", "node-voice", 0, 0, 40, 0),
    audio("clip-v2", "track-voice", "node-voice2", 30, 5, 20, 3.5),
  ];
  const cut = cutSchema.parse({
    id: "cut-main",
    name: "Main",
    format: { width: 1280, height: 720, fps: 24 },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
    audioTracks: {
      "track-music": { id: "track-music", name: "Music", position: "a0" },
      "track-voice": { id: "track-voice", name: "Voice", position: "a1" },
    },
  });
  const media = new Map<string, CutMedia>([
    ["node-a", takeMedia("SC01", "SHOT-010", 1, 3, { durationFrames: 120, hasAudio: true })],
    ["node-b", takeMedia("SC01", "SHOT-020", 1, 1)],
    ["node-d", takeMedia("SC02", "SHOT-010", 2, 2, { durationFrames: 200, hasAudio: true })],
    ["node-music", takeMedia("SC01", "MUSIC-010", 1, 1, { durationFrames: 480 })],
    ["node-voice", takeMedia("SC01", "VOICE-010", 1, 1)],
    ["node-voice2", takeMedia("SC01", "VOICE-020", 1, 1)],
  ]);
  return { cut, media };
}

/** The project's takes as an import's lookup sees them: every medium of the map, by node. */
export function knownTakes(media: CutMediaMap): KnownTake[] {
  return [...media].map(([nodeId, m]) => ({
    nodeId,
    takeId: `take-of-${nodeId}`,
    url: m.url,
    relativePath: m.relativePath,
  }));
}

/** Ids that count up, so tests can tell made ids from kept ones. */
export function counterIds(prefix = "new"): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random cut that keeps every rule (cutProblems is empty): 1 to `maxClips` picture clips as
 * short as one frame, transitions of odd and even lengths up to what the clips allow, clips of
 * nodes without takes, 0 to 2 audio tracks whose clips may overlap.
 */
export function randomCut(
  rand: () => number,
  maxClips = 12,
): { cut: Cut; media: Map<string, CutMedia> } {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const media = new Map<string, CutMedia>();
  for (let n = 0; n < 6; n++) {
    const extra: Partial<CutMedia> = {};
    if (rand() < 0.5) extra.durationFrames = 500;
    if (rand() < 0.5) extra.hasAudio = true;
    media.set(
      `node-${n}`,
      takeMedia(`SC0${1 + (n % 2)}`, `SHOT-0${n}0`, int(1, 3), int(1, 9), extra),
    );
  }
  const nodes = [...media.keys(), "node-gone-1", "node-gone-2"];
  const count = int(1, maxClips);
  const lengths = Array.from({ length: count }, () => int(1, 60));
  const positions = generateNKeysBetween(null, null, count);
  const clips: CutClip[] = [];
  let incoming = 0;
  for (let k = 0; k < count; k++) {
    const room = k < count - 1 ? Math.min(lengths[k]! - incoming, lengths[k + 1]!) : 0;
    const frames = room >= 1 && rand() < 0.6 ? int(1, room) : 0;
    const start = int(0, 50);
    clips.push({
      id: `v${k}`,
      kind: "video",
      nodeId: pick(nodes),
      position: positions[k]!,
      in: start,
      out: start + lengths[k]!,
      transition: frames > 0 ? { kind: pick(CUT_TRANSITIONS), frames } : null,
    });
    incoming = frames;
  }
  const audioTracks: Cut["audioTracks"] = {};
  const trackCount = int(0, 2);
  const trackPositions = generateNKeysBetween(null, null, trackCount);
  for (let t = 0; t < trackCount; t++) {
    const trackId = `t${t}`;
    audioTracks[trackId] = {
      id: trackId,
      name: t === 0 ? "Music" : "Voice",
      position: trackPositions[t]!,
    };
    for (let c = int(0, 5); c > 0; c--) {
      const start = int(0, 50);
      clips.push({
        id: `${trackId}c${c}`,
        kind: "audio",
        trackId,
        nodeId: pick(nodes),
        start: int(0, 200),
        in: start,
        out: start + int(1, 80),
        gainDb: Math.round((rand() * 72 - 60) * 10) / 10 || 0, // never -0: JSON has none
      });
    }
  }
  const cut = cutSchema.parse({
    id: "cut-random",
    name: "Random",
    format: { width: 1280, height: 720, fps: pick([24, 25, 30]) },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
    audioTracks,
  });
  const problems = cutProblems(cut);
  if (problems.length > 0) {
    throw new Error(`randomCut made an unsound cut: ${JSON.stringify(problems)}`);
  }
  return { cut, media };
}

/** Film frame → what plays there, each as "source@frame", sorted; gaps are "gap@frame". */
export type FrameSources = Map<number, string[]>;

function _add(frames: FrameSources, frame: number, what: string) {
  const list = frames.get(frame);
  if (list) {
    list.push(what);
    list.sort();
  } else frames.set(frame, [what]);
}

/** Our reading: each picture clip shows its trim from its record in, overlaps included. */
export function cutPictureFrames(cut: Cut, media: CutMediaMap, relative = false): FrameSources {
  const frames: FrameSources = new Map();
  for (const p of layoutVideo(cut).clips) {
    const m = media.get(p.clip.nodeId);
    const source = m ? (relative ? m.relativePath : m.url) : "gap";
    for (let f = p.recordIn; f < p.recordOut; f++) {
      _add(frames, f, `${source}@${p.clip.in + f - p.recordIn}`);
    }
  }
  return frames;
}

/** Our reading of the audio tracks: each clip with a take from its start (gaps are silence). */
export function cutAudioFrames(cut: Cut, media: CutMediaMap, withGain = true): FrameSources {
  const frames: FrameSources = new Map();
  for (const clip of Object.values(cut.clips)) {
    const m = clip.kind === "audio" ? media.get(clip.nodeId) : undefined;
    if (clip.kind !== "audio" || !m) continue;
    for (let f = clip.start; f < clip.start + clip.out - clip.in; f++) {
      _add(frames, f, `${m.url}@${clip.in + f - clip.start}${withGain ? ` ${clip.gainDb}dB` : ""}`);
    }
  }
  return frames;
}

/**
 * OTIO's reading of one track, from the reference library's rules rather than our overlap.ts:
 * children sit end to end, transitions taking no time (Track::range_of_child_at_index); a
 * clip shows its source range there, and around a transition it also shows its handles, the
 * previous transition's `in_offset` frames before it and the next one's `out_offset` frames
 * after it (Track::handles_of_child). Frames are at `rate`; every RationalTime must be at it.
 */
export function otioTrackFrames(
  track: otio.Track,
  rate: number,
  into: FrameSources = new Map(),
  label: (item: otio.Clip | otio.Gap) => { source: string; suffix: string } | null = _label,
): FrameSources {
  const items = track.children;
  const value = (t: otio.RationalTime) => {
    if (t.rate !== rate) throw new Error(`a RationalTime at ${t.rate}, not ${rate}`);
    return t.value;
  };
  let at = 0;
  items.forEach((item, index) => {
    if (item.OTIO_SCHEMA === "Transition.1") return;
    const before = items[index - 1];
    const after = items[index + 1];
    const head = before?.OTIO_SCHEMA === "Transition.1" ? value(before.in_offset) : 0;
    const tail = after?.OTIO_SCHEMA === "Transition.1" ? value(after.out_offset) : 0;
    const start = value(item.source_range!.start_time);
    const duration = value(item.source_range!.duration);
    const shown = label(item);
    if (shown) {
      for (let f = at - head; f < at + duration + tail; f++) {
        _add(into, f, `${shown.source}@${start + f - at}${shown.suffix}`);
      }
    }
    at += duration;
  });
  return into;
}

function _label(item: otio.Clip | otio.Gap) {
  const source = item.OTIO_SCHEMA === "Clip.2"
    ? item.media_references.DEFAULT_MEDIA.target_url
    : "gap";
  return { source, suffix: "" };
}

/** Sum of the durations of a track's clips and gaps: OTIO's track duration. */
export function otioTrackDuration(track: otio.Track): number {
  let total = 0;
  for (const item of track.children) {
    if (item.OTIO_SCHEMA !== "Transition.1") total += item.source_range!.duration.value;
  }
  return total;
}

/** The audio tracks of an exported timeline other than the picture's own sound. */
export function otioAudioFrames(timeline: otio.Timeline, withGain = true): FrameSources {
  const frames: FrameSources = new Map();
  const rate = timeline.global_start_time.rate;
  for (const track of timeline.tracks.children) {
    const role = (track.metadata[OTIO_NAMESPACE] as { role?: string } | undefined)?.role;
    if (track.kind !== "Audio" || role === SHOT_SOUND_ROLE) continue;
    otioTrackFrames(track, rate, frames, (item) => {
      if (item.OTIO_SCHEMA !== "Clip.2") return null;
      const gain = (item.metadata[OTIO_NAMESPACE] as { gainDb: number }).gainDb;
      const source = item.media_references.DEFAULT_MEDIA.target_url;
      return { source, suffix: withGain ? ` ${gain}dB` : "" };
    });
  }
  return frames;
}

/** A copy of an exported file with every metadata of ours removed, as a tool that drops it would. */
export function withoutOurMetadata(text: string): string {
  return JSON.stringify(
    JSON.parse(text, (key, value) => key === OTIO_NAMESPACE ? undefined : value),
  );
}
