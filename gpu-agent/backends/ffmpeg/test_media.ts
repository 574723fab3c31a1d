/**
 * Test helpers for the ffmpeg backend: small clips made with ffmpeg's test sources, and
 * ffprobe/ffmpeg readers to check what a job produced (length, size, frames, pixel colours).
 */

async function ffmpeg(args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-v", "error", "-y", ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`ffmpeg ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

export interface ClipSpec {
  /** A lavfi video source, e.g. "testsrc2", "color=c=red". */
  source?: string;
  /** Filters drawn on the source, e.g. "drawbox=…". */
  draw?: string;
  size?: string;
  rate?: number;
  seconds?: number;
  pixelFormat?: string;
  audio?: boolean;
}

/** Writes a clip to `path` (MP4, H.264). */
export async function makeClip(path: string, spec: ClipSpec = {}): Promise<string> {
  const source = spec.source ?? "testsrc2";
  const graph = `${source}${source.includes("=") ? ":" : "="}s=${spec.size ?? "320x240"}:r=${
    spec.rate ?? 25
  }`;
  const args = ["-f", "lavfi", "-i", spec.draw ? `${graph},${spec.draw}` : graph];
  if (spec.audio) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
  args.push(
    "-t",
    String(spec.seconds ?? 2),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    spec.pixelFormat ?? "yuv420p",
  );
  if (spec.audio) args.push("-c:a", "aac");
  await ffmpeg([...args, path]);
  return path;
}

export interface ProbedOutput {
  width: number;
  height: number;
  durationSeconds: number;
  frames: number;
  hasAudio: boolean;
}

/** Reads what a viewer would notice about a video: size, length, frame count, sound. */
export async function inspect(path: string): Promise<ProbedOutput> {
  const out = await new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-count_frames",
      "-print_format",
      "json",
      "-show_streams",
      "-show_format",
      path,
    ],
    stdout: "piped",
  }).output();
  const data = JSON.parse(new TextDecoder().decode(out.stdout));
  const video = data.streams.find((s: { codec_type: string }) => s.codec_type === "video");
  return {
    width: video.width,
    height: video.height,
    durationSeconds: Number(data.format.duration),
    frames: Number(video.nb_read_frames),
    hasAudio: data.streams.some((s: { codec_type: string }) => s.codec_type === "audio"),
  };
}

/** The RGB colour of pixel (x, y) in the frame at `seconds`. */
export function pixelAt(
  path: string,
  seconds: number,
  x: number,
  y: number,
): Promise<[number, number, number]> {
  return _pixel(path, ["-ss", String(seconds), "-i", path], x, y);
}

/** The RGB colour of pixel (x, y) in frame number `n` (counted from 0), picked by `select`. */
export function pixelOfFrame(
  path: string,
  n: number,
  x: number,
  y: number,
): Promise<[number, number, number]> {
  return _pixel(
    path,
    ["-i", path, "-vf", `select=eq(n\\,${n})`, "-fps_mode", "passthrough"],
    x,
    y,
  );
}

/** Pixel (x, y) of the first frame that `input` (the input and its options) yields. */
async function _pixel(
  path: string,
  input: string[],
  x: number,
  y: number,
): Promise<[number, number, number]> {
  const { width } = await inspect(path);
  const rgb = await ffmpeg([
    ...input,
    "-frames:v",
    "1",
    "-f",
    "rawvideo",
    "-pix_fmt",
    "rgb24",
    "pipe:1",
  ]);
  const at = (y * width + x) * 3;
  return [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!];
}

/** Whether two colours are within `tolerance` on every channel (H.264 shifts colours a little). */
export function near(actual: number[], expected: number[], tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

/** Writes a sine tone to `path` (WAV, sound only; mono unless `channels` says otherwise). */
export async function makeTone(
  path: string,
  spec: { frequency?: number; seconds?: number; sampleRate?: number; channels?: number } = {},
): Promise<string> {
  await ffmpeg([
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=${spec.frequency ?? 220}:sample_rate=${spec.sampleRate ?? 44100}`,
    "-t",
    String(spec.seconds ?? 2),
    "-ac",
    String(spec.channels ?? 1),
    path,
  ]);
  return path;
}

/** The loudest sample (dBFS) between `from` and `to` seconds; -Infinity for digital silence. */
export async function peakDb(path: string, from: number, to: number): Promise<number> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-ss",
      String(from),
      "-t",
      String(to - from),
      "-i",
      path,
      "-vn",
      "-af",
      "volumedetect",
      "-f",
      "null",
      "-",
    ],
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr);
  const max = /max_volume: (-?[\d.]+|-inf) dB/.exec(text)?.[1];
  if (max === undefined) throw new Error(`volumedetect printed no level:\n${text.slice(-500)}`);
  return max === "-inf" ? -Infinity : Number(max);
}

/** Stream facts as ffprobe reports them: kinds, size, rate, frames, sample rate, channels. */
export async function streams(path: string): Promise<Record<string, string | number>[]> {
  const out = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-count_frames", "-print_format", "json", "-show_streams", path],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).streams;
}
