/**
 * Runs one ffmpeg command (argv, never a shell), turning its `-progress` output into
 * ProgressReports and its failures into JobFailures. Aborting the signal kills ffmpeg.
 */
import { JobFailure, type ProgressReport } from "../backend.ts";
import { ProgressParser } from "./progress_parser.ts";

export interface RunFfmpegOptions {
  args: string[];
  /** Expected length of the output, to turn media time into a percentage. */
  durationSeconds: number;
  /** Names the work in progress messages ("transition"). */
  label: string;
  signal: AbortSignal;
  onProgress: (report: ProgressReport) => void;
  /** The executable (default "ffmpeg" on PATH). */
  ffmpeg?: string;
}

/** How much of stderr to keep for the error message. */
const STDERR_TAIL = 2000;

export async function runFfmpeg(options: RunFfmpegOptions): Promise<void> {
  if (options.signal.aborted) throw canceled();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(options.ffmpeg ?? "ffmpeg", {
      args: options.args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: options.signal,
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new JobFailure("ffmpeg is not installed: apt-get install ffmpeg", true, "unavailable");
    }
    throw error;
  }
  const [, stderr, status] = await Promise.all([
    _readProgress(child.stdout, options),
    _readTail(child.stderr),
    child.status,
  ]);
  if (options.signal.aborted) throw canceled();
  if (!status.success) {
    const reason = stderr.trim().split("\n").slice(-3).join(" | ") || `exit code ${status.code}`;
    throw new JobFailure(`ffmpeg failed: ${reason}`, false, "runtime");
  }
}

function canceled(): JobFailure {
  return new JobFailure("canceled", false, "canceled");
}

async function _readProgress(
  stdout: ReadableStream<Uint8Array>,
  options: RunFfmpegOptions,
): Promise<void> {
  const parser = new ProgressParser();
  const total = options.durationSeconds;
  const started = Date.now();
  let rest = "";
  for await (const text of _decode(stdout)) {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const update = parser.line(line);
      // A killed ffmpeg still writes a last block saying "end": that is not completion.
      if (!update || options.signal.aborted) continue;
      const done = Math.min(update.outTimeSeconds, total);
      const percent = update.end ? 100 : total > 0 ? Math.min(99, (done / total) * 100) : 0;
      const report: ProgressReport = {
        percent,
        message: `${options.label}: ${done.toFixed(1)} s of ${total.toFixed(1)} s`,
      };
      // The rate so far predicts the rest better than ffmpeg's instantaneous speed.
      const elapsed = (Date.now() - started) / 1000;
      if (!update.end && done > 0 && elapsed > 0) {
        report.etaSeconds = Math.round(((total - done) * elapsed) / done);
      }
      options.onProgress(report);
    }
  }
}

async function _readTail(stderr: ReadableStream<Uint8Array>): Promise<string> {
  let tail = "";
  for await (const text of _decode(stderr)) {
    tail = (tail + text).slice(-STDERR_TAIL);
  }
  return tail;
}

async function* _decode(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) yield decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}
