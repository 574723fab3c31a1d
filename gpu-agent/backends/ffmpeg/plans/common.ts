/**
 * Pieces every ffmpeg plan shares: the argv head and tail, and the chain that makes inputs of
 * different sizes, frame rates and pixel formats fit together (xfade, blend and overlay all
 * need identical size, rate and format on both sides).
 */
import type { MediaInfo } from "../media_info.ts";

/** A clip on disk with what ffprobe said about it. */
export interface ClipInput {
  path: string;
  info: MediaInfo;
}

/** The full argv for one ffmpeg run and the output's expected length (for progress). */
export interface FfmpegPlan {
  args: string[];
  durationSeconds: number;
}

/** The canvas every input is fitted to: the first input's size (made even) and frame rate. */
export interface Canvas {
  width: number;
  height: number;
  fps: string;
}

export function canvasOf(info: MediaInfo): Canvas {
  // yuv420p needs even dimensions.
  return { width: _even(info.width), height: _even(info.height), fps: info.fps };
}

/**
 * Filters that fit a video stream to the canvas: scaled to fit inside it keeping its aspect,
 * letterboxed, square pixels, the canvas frame rate, and one pixel format.
 */
export function fitTo(canvas: Canvas, pixelFormat = "yuv420p"): string {
  const { width: w, height: h } = canvas;
  return [
    `scale=${w}:${h}:force_original_aspect_ratio=decrease`,
    `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`,
    "setsar=1",
    `fps=${canvas.fps}`,
    `format=${pixelFormat}`,
  ].join(",");
}

/** Options before the inputs: quiet, machine-readable progress on stdout, never prompt. */
export const HEAD = [
  "-hide_banner",
  "-nostdin",
  "-nostats",
  "-loglevel",
  "error",
  "-progress",
  "pipe:1",
  "-y",
];

/** H.264 in MP4, playable everywhere and streamable before it is fully downloaded. */
export const VIDEO_ENCODE = [
  "-c:v",
  "libx264",
  "-preset",
  "veryfast",
  "-crf",
  "18",
  "-pix_fmt",
  "yuv420p",
  "-movflags",
  "+faststart",
];

/** The filter and encoder names a plan needs, so probe() can say which plans this ffmpeg runs. */
export const REQUIRED_FILTERS: Readonly<Record<string, readonly string[]>> = {
  transition: ["xfade", "acrossfade", "scale", "pad", "fps", "format", "setsar"],
  composite: [
    "overlay",
    "blend",
    "alphamerge",
    "colorchannelmixer",
    "split",
    "scale",
    "pad",
    "fps",
    "format",
  ],
  upscale: ["scale"],
  "cut.render": [
    "xfade",
    "acrossfade",
    "amix",
    "adelay",
    "volume",
    "aresample",
    "aformat",
    "apad",
    "atrim",
    "anullsrc",
    "trim",
    "tpad",
    "concat",
    "color",
    "settb",
    "scale",
    "pad",
    "fps",
    "format",
    "setsar",
  ],
};

/** Numbers in filter arguments: plain decimals, never exponent notation. */
export function num(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function _even(n: number): number {
  return Math.max(2, Math.floor(n / 2) * 2);
}
