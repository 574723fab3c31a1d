/**
 * What the studio shows of a finished video before anyone plays it: ffprobe's facts (length,
 * rate, size, sound) and a poster frame, a small JPEG of a representative frame. The frame is
 * picked by ffmpeg's `thumbnail` filter among the frames after a tenth of the video (at most
 * 2 s in), so a fade from black or a slate at the start does not become the poster.
 *
 * @example
 * ```ts
 * const { media, posterPath } = await describeVideo("take.mp4", "take.poster.jpg", { signal });
 * media.durationSeconds; // 3.375
 * ```
 */
import { POSTER_MAX_BYTES, POSTER_MAX_WIDTH } from "../../../protocol/jobs.ts";
import type { VideoDescription } from "../backend.ts";
import { fpsValue, probeMedia } from "./media_info.ts";
import { HEAD, num } from "./plans/common.ts";
import { runFfmpeg } from "./run_ffmpeg.ts";

export interface DescribeOptions {
  signal: AbortSignal;
  ffmpeg?: string;
  ffprobe?: string;
}

/** Frames the thumbnail filter compares (one second at 24 fps). */
const CANDIDATES = 24;

/** Facts about the video at `path`, and its poster written to `posterPath` (null if none). */
export async function describeVideo(
  path: string,
  posterPath: string,
  options: DescribeOptions,
): Promise<VideoDescription> {
  const info = await probeMedia(path, "the output", {
    signal: options.signal,
    ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}),
  });
  const media = {
    durationSeconds: Math.round(info.durationSeconds * 1000) / 1000,
    fps: Math.round(fpsValue(info.fps) * 1000) / 1000,
    width: info.width,
    height: info.height,
    hasAudio: info.hasAudio,
  };
  const at = Math.min(2, info.durationSeconds / 10);
  await runFfmpeg({
    args: [
      ...HEAD,
      ...(at > 0 ? ["-ss", num(at)] : []),
      "-i",
      `file:${path}`,
      "-an",
      "-vf",
      // Scaled first, so the filter compares small frames; never wider than the take.
      `scale=w='min(${POSTER_MAX_WIDTH},iw)':h=-2,thumbnail=${CANDIDATES}`,
      "-frames:v",
      "1",
      "-q:v",
      "4",
      "-update",
      "1",
      `file:${posterPath}`,
    ],
    durationSeconds: 0,
    label: "poster",
    signal: options.signal,
    onProgress: () => {},
    ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
  });
  const bytes = await Deno.stat(posterPath).then((s) => s.size, () => 0);
  return { media, posterPath: bytes > 0 && bytes <= POSTER_MAX_BYTES ? posterPath : null };
}
