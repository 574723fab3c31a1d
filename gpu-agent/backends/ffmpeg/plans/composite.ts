/**
 * Composite: `overlay` laid over `base` with a blend mode and an opacity, optionally through a
 * mask clip (white shows the overlay, black keeps the base). The result has the base's size,
 * rate, length and sound.
 *
 * Blend modes other than "normal" are computed in RGB (blending YUV chroma planes gives wrong
 * colours), with the base as the first blend input so "overlay" follows the usual definition
 * (the base decides between multiply and screen).
 */
import {
  canvasOf,
  type ClipInput,
  type FfmpegPlan,
  fitTo,
  HEAD,
  num,
  VIDEO_ENCODE,
} from "./common.ts";

export interface CompositeParams {
  blend: "normal" | "screen" | "multiply" | "overlay" | "addition";
  opacity: number;
}

export function compositePlan(
  base: ClipInput,
  overlay: ClipInput,
  mask: ClipInput | undefined,
  params: CompositeParams,
  output: string,
): FfmpegPlan {
  const canvas = canvasOf(base.info);
  const blended = params.blend !== "normal";
  const filters = [
    // The base is read twice when blending: under the result, and as the blend's first input.
    `[0:v]${fitTo(canvas, "gbrp")}${blended ? ",split[base][base_b]" : "[base]"}`,
    `[1:v]${fitTo(canvas, "gbrp")}[over]`,
  ];
  // The layer drawn on top: the overlay itself, or the overlay blended with the base.
  if (!blended) {
    filters.push("[over]format=rgba[top]");
  } else {
    filters.push(`[base_b][over]blend=all_mode=${params.blend}:eof_action=pass,format=rgba[top]`);
  }
  let layer = "top";
  if (mask) {
    filters.push(`[2:v]${fitTo(canvas, "gray")}[mask]`, `[${layer}][mask]alphamerge[masked]`);
    layer = "masked";
  }
  if (params.opacity < 1) {
    filters.push(`[${layer}]colorchannelmixer=aa=${num(params.opacity)}[faded]`);
    layer = "faded";
  }
  filters.push(`[base][${layer}]overlay=eof_action=pass:format=auto,format=yuv420p[v]`);
  return {
    args: [
      ...HEAD,
      "-i",
      base.path,
      "-i",
      overlay.path,
      ...(mask ? ["-i", mask.path] : []),
      "-filter_complex",
      filters.join(";"),
      "-map",
      "[v]",
      "-map",
      "0:a?",
      "-c:a",
      "aac",
      "-t",
      num(base.info.durationSeconds),
      ...VIDEO_ENCODE,
      output,
    ],
    durationSeconds: base.info.durationSeconds,
  };
}
