/**
 * Upscale: every frame scaled by `factor` with the chosen resampling filter. Frame rate,
 * length and sound are kept (the sound is copied, not re-encoded).
 */
import { type ClipInput, type FfmpegPlan, HEAD, VIDEO_ENCODE } from "./common.ts";

export interface UpscaleParams {
  factor: number;
  filter: "lanczos" | "bicubic" | "spline";
}

/** The output size: the input times the factor, rounded down to even numbers (yuv420p). */
export function upscaledSize(
  width: number,
  height: number,
  factor: number,
): { width: number; height: number } {
  return {
    width: Math.max(2, Math.floor((width * factor) / 2) * 2),
    height: Math.max(2, Math.floor((height * factor) / 2) * 2),
  };
}

export function upscalePlan(video: ClipInput, params: UpscaleParams, output: string): FfmpegPlan {
  const size = upscaledSize(video.info.width, video.info.height, params.factor);
  return {
    args: [
      ...HEAD,
      "-i",
      video.path,
      "-map",
      "0:v:0",
      "-map",
      "0:a?",
      "-vf",
      `scale=${size.width}:${size.height}:flags=${params.filter},setsar=1`,
      "-c:a",
      "copy",
      ...VIDEO_ENCODE,
      output,
    ],
    durationSeconds: video.info.durationSeconds,
  };
}
