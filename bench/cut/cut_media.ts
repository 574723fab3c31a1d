/**
 * The benchmark's cut: 20 shots of 75 frames (1,500 frames less five 12-frame transitions: 60 s
 * at 24 fps), rendered at 1280x720, and two audio tracks (a music bed under the whole film and
 * six dialogue lines). The shots are made locally with ffmpeg's `testsrc2` and `sine`, half at
 * 1280x720 and 24 fps, half at Wan's 832x480 and 16 fps, half with sound, so every clip is
 * conformed and trimmed.
 */
import { makeClip, makeTone } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import type { CutRenderParams, CutTransitionKind } from "../../protocol/cut.ts";

export const FILM_SECONDS = 60;
const SHOTS = 20;
const TRANSITIONS: Record<number, CutTransitionKind> = {
  2: "dissolve",
  6: "wipeleft",
  10: "fadeblack",
  14: "crossfade",
  18: "wiperight",
};

export interface MediaFile {
  /** The job input name the cut plays it by. */
  input: string;
  path: string;
  kind: "video" | "audio";
}

/** Makes the shots and sounds in `dir`. */
export async function makeCutMedia(dir: string): Promise<MediaFile[]> {
  const files: MediaFile[] = [];
  for (let i = 0; i < SHOTS; i++) {
    const wide = i % 2 === 0;
    files.push({
      input: `shot${i}`,
      kind: "video",
      path: await makeClip(`${dir}/shot${i}.mp4`, {
        size: wide ? "1280x720" : "832x480",
        rate: wide ? 24 : 16,
        seconds: 4,
        audio: i % 4 < 2,
      }),
    });
  }
  files.push({
    input: "music",
    kind: "audio",
    path: await makeTone(`${dir}/music.wav`, { frequency: 220, seconds: 61, channels: 2 }),
  });
  for (const [n, frequency] of [[1, 660], [2, 880]]) {
    files.push({
      input: `voice${n}`,
      kind: "audio",
      path: await makeTone(`${dir}/voice${n}.wav`, { frequency, seconds: 3, sampleRate: 22050 }),
    });
  }
  return files;
}

/** The cut's render params (the film is 1,440 frames). */
export function cutParams(cutName = "Benchmark"): CutRenderParams {
  return {
    cutId: "bench-cut",
    cutName,
    revision: 1,
    format: { width: 1280, height: 720, fps: 24 },
    video: Array.from({ length: SHOTS }, (_, i) => ({
      clipId: `c${i}`,
      input: `shot${i}`,
      in: 6,
      out: 81,
      transition: TRANSITIONS[i] ? { kind: TRANSITIONS[i]!, frames: 12 } : null,
    })),
    audio: [
      { clipId: "bed", input: "music", start: 0, in: 0, out: 1440, gainDb: -8 },
      ...[120, 360, 600, 840, 1080, 1260].map((start, i) => ({
        clipId: `line${i}`,
        input: `voice${(i % 2) + 1}`,
        start,
        in: 0,
        out: 72,
        gainDb: 0,
      })),
    ],
  };
}
