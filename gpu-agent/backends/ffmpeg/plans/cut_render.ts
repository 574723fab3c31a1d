/**
 * The ffmpeg runs that render a cut (params validated, inputs downloaded and probed): the
 * picture in segments, each one ffmpeg conforming a few clips to the cut's format (fps, trim by
 * frames, scale + pad keeping aspect, yuv420p), joining them with `xfade` where a transition
 * says so and `concat` elsewhere, and encoding H.264 with the same settings; then one last
 * ffmpeg that joins the segments without re-encoding (concat demuxer, `-c copy`), builds the
 * sound (each clip's own sound resampled to 48 kHz stereo, or silence, `acrossfade` under the
 * picture's transitions, audio tracks placed with `adelay` at their gain with `volume`, all mixed
 * by `amix` with normalisation off so gains are what they say) and writes the MP4 with
 * `+faststart`. Gaps (`input: null`) are black and silent for their length.
 *
 * Why segments and not one filter graph, measured on this 2-core VM with the benchmark's 20-shot,
 * 60 s, 1280x720 cut (`deno task bench cut --compare`; BENCHMARKS.md, under load from other
 * sessions): one graph over every clip holds every input open at once and peaked at 320 MiB of
 * ffmpeg; segments of at most MAX_SEGMENT_INPUTS files peak at 136 MiB whatever the cut's length.
 * One graph was 25-30 % faster (fewer process starts and re-reads), but with the agent's own
 * 115-130 MiB it would break the 300 MB budget. The joins cost nothing: each segment starts on a
 * keyframe and is copied, and segment boundaries fall inside a clip, so a transition never spans
 * two segments (a segment that ends in a transition also reads the first frames of the next
 * clip, which the next segment then skips).
 *
 * Nothing from people reaches these strings: the argv holds validated numbers, our own labels
 * and file names, and the downloaded files' paths as `file:` URLs (never read as another
 * protocol); filter strings hold numbers and labels only.
 */
import type { CutRenderParams, CutTransitionKind } from "../../../../protocol/cut.ts";
import { placeClips } from "../../../../protocol/cut.ts";
import { type FfmpegPlan, HEAD, num } from "./common.ts";

/** What the render needs to know of a downloaded input. */
export interface RenderSource {
  path: string;
  hasVideo: boolean;
  hasAudio: boolean;
  /** The picture's frame rate, when known (0: unknown). */
  fps?: number;
}

export interface RenderStep extends FfmpegPlan {
  output: string;
}

export interface CutRenderPlan {
  /** Picture-only pieces of the film, in order, all encoded alike. */
  segments: RenderStep[];
  /** The concat demuxer's list of the segments, to write before the last step. */
  list: { path: string; text: string };
  /** Joins the segments, builds and mixes the sound, writes the film. */
  final: RenderStep;
  /** The film's length in frames. */
  frames: number;
}

/** Files one segment's ffmpeg may open (each costs about 10 MB of decoder memory at 720p). */
export const MAX_SEGMENT_INPUTS = 4;
/** Clips one segment may hold (gaps open no file, but each adds filters). */
const MAX_SEGMENT_CLIPS = 16;
const SAMPLE_RATE = 48_000;

/**
 * Our transition names to xfade's. A dissolve is a blend in every editor the cut is exported to
 * (EDL `D`, OTIO `SMPTE_Dissolve`), so it renders as xfade's `fade`; xfade's own `dissolve` is a
 * pixel noise pattern that no editor would show.
 */
export const XFADE: Readonly<Record<CutTransitionKind, string>> = {
  crossfade: "fade",
  dissolve: "fade",
  fadeblack: "fadeblack",
  wipeleft: "wipeleft",
  wiperight: "wiperight",
  wipeup: "wipeup",
  wipedown: "wipedown",
};

/** Choices the benchmark compares (bench/cut); the defaults are what the agent runs. */
export interface PlanOptions {
  /** Files one segment's ffmpeg may open; a number above the clip count makes one graph. */
  maxSegmentInputs?: number;
  /** libx264's preset. */
  preset?: string;
}

/**
 * H.264 for every segment alike (so they join without re-encoding). `ultrafast` is what keeps
 * a 720p render at 4x real time on two cores (see BENCHMARKS.md for the A/B against veryfast)
 * and keeps x264's memory low (no lookahead or B-frames); CRF 18 keeps it visually clean at
 * the price of a larger file. Keyframes every 2 s, so players seek quickly.
 */
function videoEncode(fps: number, preset = "ultrafast"): string[] {
  return [
    "-c:v",
    "libx264",
    "-preset",
    preset,
    "-crf",
    "18",
    "-pix_fmt",
    "yuv420p",
    "-g",
    String(fps * 2),
    // The same timescale in every segment keeps the joined timestamps exact.
    "-video_track_timescale",
    String(fps * 512),
  ];
}

/** One decoder thread per input: two cores are busy encoding, and each thread costs memory. */
const DECODE = ["-threads", "1"];

/** A clip of the picture track, as this plan sees it. */
interface Clip {
  source: RenderSource | null;
  in: number;
  frames: number;
  overlapIn: number;
  overlapOut: number;
  transition: CutTransitionKind | null;
}

/** A stretch of one clip read into a segment. */
interface Piece {
  source: RenderSource | null;
  start: number;
  frames: number;
  /** The transition from the piece before it in the segment (null: a cut, or the first). */
  transition: { kind: CutTransitionKind; frames: number } | null;
}

export function cutRenderPlan(
  params: CutRenderParams,
  sources: ReadonlyMap<string, RenderSource>,
  workDir: string,
  options: PlanOptions = {},
): CutRenderPlan {
  const source = (input: string | null) => (input === null ? null : sources.get(input) ?? null);
  const placed = placeClips(params.video);
  const clips: Clip[] = placed.clips.map((p) => ({
    source: source(p.clip.input),
    in: p.clip.in,
    frames: p.frames,
    overlapIn: p.overlapIn,
    overlapOut: p.overlapOut,
    transition: p.overlapOut > 0 ? p.clip.transition!.kind : null,
  }));
  // Sound may run past the last picture: the picture goes on in black.
  const frames = Math.max(
    placed.duration,
    ...params.audio.map((a) => a.start + a.out - a.in),
  );
  if (frames > placed.duration) {
    clips.push({
      source: null,
      in: 0,
      frames: frames - placed.duration,
      overlapIn: 0,
      overlapOut: 0,
      transition: null,
    });
  }
  const segments = _segments(clips, options.maxSegmentInputs ?? MAX_SEGMENT_INPUTS).map(
    (pieces, i) =>
      _segmentStep(
        pieces,
        params.format,
        `${workDir}/segment-${String(i).padStart(4, "0")}.mp4`,
        options.preset,
      ),
  );
  const list = {
    path: `${workDir}/segments.txt`,
    // Names we chose, relative to the list's folder (the demuxer's safe mode accepts them).
    text: segments.map((s) => `file '${s.output.split("/").at(-1)}'\n`).join(""),
  };
  const output = `${workDir}/film.mp4`;
  return {
    segments,
    list,
    final: _finalStep(params, clips, source, frames, list.path, output),
    frames,
  };
}

/** Splits the track into segments of at most `maxInputs` files each. */
function _segments(clips: Clip[], maxInputs: number): Piece[][] {
  const files = (c: Clip | undefined) => (c?.source ? 1 : 0);
  // A segment ending on clip `b` also reads the head of `b + 1` when `b` has a transition.
  const headOf = (b: number) => (clips[b]!.overlapOut > 0 ? files(clips[b + 1]) : 0);
  const out: Piece[][] = [];
  for (let a = 0; a < clips.length;) {
    let b = a;
    let used = files(clips[a]);
    while (
      b + 1 < clips.length && b + 1 - a + 1 <= Math.max(MAX_SEGMENT_CLIPS, maxInputs) &&
      used + files(clips[b + 1]) + headOf(b + 1) <= maxInputs
    ) {
      used += files(clips[++b]);
    }
    const pieces: Piece[] = [];
    for (let i = a; i <= b; i++) {
      const clip = clips[i]!;
      // The first clip's head was shown in the previous segment's transition.
      const skip = i === a ? clip.overlapIn : 0;
      const before = clips[i - 1];
      pieces.push({
        source: clip.source,
        start: clip.in + skip,
        frames: clip.frames - skip,
        transition: i > a && before!.overlapOut > 0
          ? { kind: before!.transition!, frames: before!.overlapOut }
          : null,
      });
    }
    const last = clips[b]!;
    if (last.overlapOut > 0) {
      const next = clips[b + 1]!;
      pieces.push({
        source: next.source,
        start: next.in,
        frames: last.overlapOut,
        transition: { kind: last.transition!, frames: last.overlapOut },
      });
    }
    out.push(pieces);
    a = b + 1;
  }
  return out;
}

function _segmentStep(
  pieces: Piece[],
  format: CutRenderParams["format"],
  output: string,
  preset: string | undefined,
): RenderStep {
  const { width: w, height: h, fps } = format;
  const seconds = (n: number) => num(n / fps);
  const args: string[] = [];
  const filters: string[] = [];
  let inputs = 0;
  pieces.forEach((piece, k) => {
    const picture = piece.source?.hasVideo ? piece.source : null;
    if (picture) {
      args.push(
        ...DECODE,
        ...(piece.start > 0 ? ["-ss", seconds(piece.start)] : []),
        // Two frames of margin: the rate conversion may need one past the last.
        "-t",
        seconds(piece.frames + 2),
        "-i",
        `file:${picture.path}`,
      );
      // At the cut's rate, exactly `frames` long: a take that ends early holds its last frame.
      const timed = `fps=${fps},tpad=stop=${piece.frames}:stop_mode=clone,` +
        `trim=end_frame=${piece.frames},setpts=PTS-STARTPTS`;
      const fitted = `scale=${w}:${h}:force_original_aspect_ratio=decrease,` +
        `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
      // Scaling is the costly part: a take slower than the cut (Wan's 16 fps into 24) is
      // scaled before its frames are repeated, a faster one after its extra frames are dropped.
      const slower = (picture.fps ?? 0) > 0 && picture.fps! < fps;
      filters.push(
        `[${inputs++}:v]${slower ? `${fitted},${timed}` : `${timed},${fitted}`}[p${k}]`,
      );
    } else {
      filters.push(
        `color=c=black:s=${w}x${h}:r=${fps},trim=end_frame=${piece.frames},setsar=1,` +
          `format=yuv420p[p${k}]`,
      );
    }
  });
  // Chains of pieces joined by transitions; the chains then follow each other by cuts.
  const chains: string[] = [];
  let chain = "";
  let length = 0;
  pieces.forEach((piece, k) => {
    if (chain && piece.transition) {
      const t = piece.transition;
      filters.push(
        `[${chain}][p${k}]xfade=transition=${XFADE[t.kind]}:duration=${seconds(t.frames)}:` +
          `offset=${seconds(length - t.frames)}[x${k}]`,
      );
      chain = `x${k}`;
      length += piece.frames - t.frames;
    } else {
      if (chain) chains.push(chain);
      chain = `p${k}`;
      length = piece.frames;
    }
  });
  chains.push(chain);
  let out = chain;
  if (chains.length > 1) {
    // concat answers in microseconds; back to the frame clock so frame times stay exact.
    filters.push(
      `${chains.map((c) => `[${c}]`).join("")}concat=n=${chains.length}:v=1:a=0,` +
        `settb=1/${fps}[seg]`,
    );
    out = "seg";
  }
  const frames = pieces.reduce((sum, p) => sum + p.frames - (p.transition?.frames ?? 0), 0);
  return {
    args: [
      ...HEAD,
      ...args,
      "-filter_complex",
      filters.join(";"),
      "-map",
      `[${out}]`,
      "-an",
      ...videoEncode(fps, preset),
      `file:${output}`,
    ],
    durationSeconds: frames / fps,
    output,
  };
}

function _finalStep(
  params: CutRenderParams,
  clips: Clip[],
  source: (input: string | null) => RenderSource | null,
  frames: number,
  listPath: string,
  output: string,
): RenderStep {
  const { fps } = params.format;
  const seconds = (n: number) => num(n / fps);
  const samples = (n: number) => Math.round((n * SAMPLE_RATE) / fps);
  const args = [...HEAD, "-f", "concat", "-i", `file:${listPath}`];
  const filters: string[] = [];
  let inputs = 1;
  // Reads `length` frames of a file's sound from frame `start`, as 48 kHz stereo, padded with
  // silence if the file's sound ends early; null when the file has none.
  const sound = (file: RenderSource | null, start: number, length: number, label: string) => {
    const total = samples(length);
    if (!file?.hasAudio) {
      filters.push(
        `anullsrc=r=${SAMPLE_RATE}:cl=stereo,aformat=sample_fmts=fltp,` +
          `atrim=end_sample=${total}[${label}]`,
      );
      return;
    }
    args.push(
      ...DECODE,
      ...(start > 0 ? ["-ss", seconds(start)] : []),
      "-t",
      seconds(length + 2),
      "-i",
      `file:${file.path}`,
    );
    // A mono take goes to both sides 3 dB down (swresample's equal-power pan law), so it
    // sounds as loud centred as it did from one speaker; stereo keeps its level.
    filters.push(
      `[${inputs++}:a]aresample=${SAMPLE_RATE},` +
        `aformat=sample_fmts=fltp:sample_rates=${SAMPLE_RATE}:channel_layouts=stereo,` +
        `apad=whole_len=${total},atrim=end_sample=${total},asetpts=PTS-STARTPTS[${label}]`,
    );
  };
  // The picture's own sound, clip by clip, crossfaded under its transitions.
  const chains: string[] = [];
  let chain = "";
  clips.forEach((clip, i) => {
    sound(clip.source, clip.in, clip.frames, `c${i}`);
    const before = clips[i - 1];
    if (chain && before!.overlapOut > 0) {
      const n = samples(before!.overlapOut);
      filters.push(`[${chain}][c${i}]acrossfade=ns=${n}:c1=tri:c2=tri[cx${i}]`);
      chain = `cx${i}`;
    } else {
      if (chain) chains.push(chain);
      chain = `c${i}`;
    }
  });
  chains.push(chain);
  filters.push(`${chains.map((c) => `[${c}]`).join("")}concat=n=${chains.length}:v=0:a=1[picture]`);
  // Audio tracks: each clip at its start frame and gain (a source without sound adds nothing).
  const mixed = ["picture"];
  params.audio.forEach((clip, i) => {
    const file = source(clip.input);
    if (!file?.hasAudio) return;
    sound(file, clip.in, clip.out - clip.in, `s${i}`);
    filters.push(
      `[s${i}]volume=${num(clip.gainDb)}dB,adelay=delays=${samples(clip.start)}S:all=1[t${i}]`,
    );
    mixed.push(`t${i}`);
  });
  const total = samples(frames);
  const exact = `apad=whole_len=${total},atrim=end_sample=${total}`;
  filters.push(
    mixed.length === 1
      ? `[picture]${exact}[sound]`
      : `${mixed.map((m) => `[${m}]`).join("")}amix=inputs=${mixed.length}:normalize=0:` +
        `duration=longest:dropout_transition=0,${exact}[sound]`,
  );
  return {
    args: [
      ...args,
      "-filter_complex",
      filters.join(";"),
      "-map",
      "0:v",
      "-map",
      "[sound]",
      "-c:v",
      "copy",
      "-c:a",
      "aac",
      "-b:a",
      "192k",
      "-movflags",
      "+faststart",
      `file:${output}`,
    ],
    durationSeconds: frames / fps,
    output,
  };
}
