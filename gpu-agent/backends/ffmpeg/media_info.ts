/**
 * What the ffmpeg backend needs to know about an input clip, read with ffprobe: size, frame
 * rate, duration and whether it carries sound. `parseProbe` is pure (ffprobe's JSON in).
 */
import { JobFailure } from "../backend.ts";

export interface MediaInfo {
  width: number;
  height: number;
  /** Frame rate as ffmpeg writes it ("30000/1001"), so no precision is lost. */
  fps: string;
  durationSeconds: number;
  hasAudio: boolean;
}

interface ProbeStream {
  codec_type?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
}

/** Parses `ffprobe -print_format json -show_streams -show_format`. `what` names the input in errors. */
export function parseProbe(json: string, what: string): MediaInfo {
  let data: { streams?: ProbeStream[]; format?: { duration?: string } };
  try {
    data = JSON.parse(json);
  } catch {
    throw new JobFailure(
      `${what}: ffprobe printed something that is not JSON`,
      false,
      "validation",
    );
  }
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  if (!video || !video.width || !video.height) {
    throw new JobFailure(`${what} has no video stream`, false, "validation");
  }
  const fps = [video.avg_frame_rate, video.r_frame_rate].find(_validRate) ?? "25/1";
  const duration = Number(video.duration ?? data.format?.duration);
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new JobFailure(`${what} has no readable duration`, false, "validation");
  }
  return {
    width: video.width,
    height: video.height,
    fps,
    durationSeconds: duration,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
  };
}

/** ffprobe reports "0/0" for unknown rates. */
function _validRate(rate: string | undefined): rate is string {
  if (!rate || !/^\d+(\/\d+)?$/.test(rate)) return false;
  const [num, den = "1"] = rate.split("/");
  return Number(num) > 0 && Number(den) > 0;
}

/** The frame rate as a number (for frame counts and messages). */
export function fpsValue(fps: string): number {
  const [num, den = "1"] = fps.split("/");
  return Number(num) / Number(den);
}

/** Runs ffprobe on a file. Unreadable media is a validation failure (the input is bad). */
export async function probeMedia(
  path: string,
  what: string,
  options: { signal?: AbortSignal; ffprobe?: string } = {},
): Promise<MediaInfo> {
  const output = await new Deno.Command(options.ffprobe ?? "ffprobe", {
    args: ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    ...(options.signal ? { signal: options.signal } : {}),
  }).output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new JobFailure(`${what} is not a readable video: ${stderr}`, false, "validation");
  }
  return parseProbe(new TextDecoder().decode(output.stdout), what);
}
