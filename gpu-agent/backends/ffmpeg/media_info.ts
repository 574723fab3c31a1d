/**
 * What the ffmpeg backend needs to know about an input clip, read with ffprobe: size, frame
 * rate, duration and whether it carries sound (`probeMedia`), or only which kinds of stream a
 * file holds (`probeStreams`, for sources that may be sound alone). `parseProbe` is pure.
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

export interface ProbeOptions {
  signal?: AbortSignal;
  ffprobe?: string;
}

/** Runs ffprobe on a file. Unreadable media is a validation failure (the input is bad). */
export async function probeMedia(
  path: string,
  what: string,
  options: ProbeOptions = {},
): Promise<MediaInfo> {
  return parseProbe(await _ffprobe(path, what, options), what);
}

/** Which kinds of stream a file holds and how long it lasts (0 when it does not say). */
export interface StreamKinds {
  hasVideo: boolean;
  hasAudio: boolean;
  durationSeconds: number;
  /** The picture's frame rate; 0 without a picture or a readable rate. */
  fps: number;
}

export async function probeStreams(
  path: string,
  what: string,
  options: ProbeOptions = {},
): Promise<StreamKinds> {
  const data = JSON.parse(await _ffprobe(path, what, options)) as {
    streams?: ProbeStream[];
    format?: { duration?: string };
  };
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  const rate = video && [video.avg_frame_rate, video.r_frame_rate].find(_validRate);
  const duration = Number(data.format?.duration);
  return {
    hasVideo: video !== undefined,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : 0,
    fps: rate ? fpsValue(rate) : 0,
  };
}

async function _ffprobe(path: string, what: string, options: ProbeOptions): Promise<string> {
  const output = await new Deno.Command(options.ffprobe ?? "ffprobe", {
    // `file:` so that no name is ever read as another protocol.
    args: ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", `file:${path}`],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    ...(options.signal ? { signal: options.signal } : {}),
  }).output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new JobFailure(`${what} is not readable media: ${stderr}`, false, "validation");
  }
  return new TextDecoder().decode(output.stdout);
}
