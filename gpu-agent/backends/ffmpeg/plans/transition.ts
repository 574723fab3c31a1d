/**
 * Transition: the end of `from` dissolves (or is wiped) into the start of `to` over `seconds`.
 * The result lasts from + to − seconds. Sound crossfades too when both clips have it.
 */
import { JobFailure } from "../../backend.ts";
import {
  canvasOf,
  type ClipInput,
  type FfmpegPlan,
  fitTo,
  HEAD,
  num,
  VIDEO_ENCODE,
} from "./common.ts";

export interface TransitionParams {
  kind: "crossfade" | "wipeleft" | "wiperight" | "wipeup" | "wipedown";
  seconds: number;
}

/** Our names to xfade's (xfade calls a crossfade "fade"). */
const XFADE: Record<TransitionParams["kind"], string> = {
  crossfade: "fade",
  wipeleft: "wipeleft",
  wiperight: "wiperight",
  wipeup: "wipeup",
  wipedown: "wipedown",
};

export function transitionPlan(
  from: ClipInput,
  to: ClipInput,
  params: TransitionParams,
  output: string,
): FfmpegPlan {
  const d0 = from.info.durationSeconds;
  const d1 = to.info.durationSeconds;
  if (params.seconds >= d0 || params.seconds > d1) {
    throw new JobFailure(
      `seconds (${params.seconds}) must be shorter than both clips ('from' ${num(d0)} s, 'to' ${
        num(d1)
      } s)`,
      false,
      "validation",
    );
  }
  const canvas = canvasOf(from.info);
  const offset = d0 - params.seconds;
  const filters = [
    `[0:v]${fitTo(canvas)}[a]`,
    `[1:v]${fitTo(canvas)}[b]`,
    `[a][b]xfade=transition=${XFADE[params.kind]}:duration=${num(params.seconds)}:offset=${
      num(offset)
    }[v]`,
  ];
  const withAudio = from.info.hasAudio && to.info.hasAudio;
  if (withAudio) filters.push(`[0:a][1:a]acrossfade=d=${num(params.seconds)}[a_out]`);
  return {
    args: [
      ...HEAD,
      "-i",
      from.path,
      "-i",
      to.path,
      "-filter_complex",
      filters.join(";"),
      "-map",
      "[v]",
      ...(withAudio ? ["-map", "[a_out]", "-c:a", "aac"] : ["-an"]),
      ...VIDEO_ENCODE,
      output,
    ],
    durationSeconds: d0 + d1 - params.seconds,
  };
}
