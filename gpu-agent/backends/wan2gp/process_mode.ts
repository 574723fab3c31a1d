/**
 * Wan2GP's headless mode: one `python wgp.py --process <settings.json> --output-dir <dir>
 * --profile <n> --attention <mode>` per job, an argv array run without a shell, in Wan2GP's
 * folder (it finds `ckpts/` and `defaults/` from there). The job's values are only in the
 * settings file. Progress comes from its console (console.ts); cancel sends SIGINT (Wan2GP's
 * Ctrl-C, exit 130), then SIGKILL after a grace period. Exit codes (docs/CLI.md): 0 done (or
 * every task skipped: a `[SKIP]` line says why), 1 failed (the last `[ERROR]` line says why),
 * 130 interrupted.
 */
import { join } from "node:path";
import { JobFailure, type ProgressReport } from "../backend.ts";
import { type ConsoleEvent, Wan2gpConsole } from "./console.ts";
import type { MemoryProfile } from "./memory_profile.ts";

export const ATTENTION_MODES = ["sdpa", "sage", "sage2", "flash"] as const;
export type Attention = typeof ATTENTION_MODES[number];

export interface WgpProcessOptions {
  python: string;
  /** The Wan2GP folder (holds wgp.py). */
  dir: string;
  settingsPath: string;
  outputDir: string;
  profile: MemoryProfile;
  attention: Attention;
  signal: AbortSignal;
  onProgress: (report: ProgressReport) => void;
  /** How long Wan2GP gets to stop after SIGINT before SIGKILL; default 10 s. */
  graceMs?: number;
  /** Called once the process is spawned and once it has exited (the benchmark's clock). */
  onSpawned?: () => void;
  onExited?: () => void;
}

/** Runs wgp.py once; returns the path of the video it saved. */
export async function runWgpProcess(options: WgpProcessOptions): Promise<string> {
  if (options.signal.aborted) throw canceled();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(options.python, {
      args: [
        join(options.dir, "wgp.py"),
        ...["--process", options.settingsPath, "--output-dir", options.outputDir],
        ...["--profile", String(options.profile), "--attention", options.attention],
      ],
      cwd: options.dir,
      // Python buffers a piped stdout: without this the [Task]/[ERROR] lines arrive at exit.
      env: { PYTHONUNBUFFERED: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // Its own process group: the agent's first Ctrl-C drains (the job finishes) and must not
      // reach Wan2GP through the terminal; the agent stops it itself when the job is aborted.
      detached: true,
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new JobFailure(
        `Wan2GP's python (${options.python}) is not there any more: give it with --wan2gp-python`,
        true,
        "backend_down",
      );
    }
    throw error;
  }
  options.onSpawned?.();
  let stopping = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopping = true;
    signalChild(child, "SIGINT");
    killTimer = setTimeout(() => signalChild(child, "SIGKILL"), options.graceMs ?? 10_000);
  };
  options.signal.addEventListener("abort", stop, { once: true });
  const run = new RunState(options.onProgress);
  const errors = new Wan2gpConsole();
  try {
    const [, , status] = await Promise.all([
      pump(
        child.stdout,
        (text) => run.apply(run.console.feed(text)),
        () => run.apply(run.console.end()),
      ),
      pump(child.stderr, (text) => errors.feed(text), () => errors.end()),
      child.status,
    ]);
    options.onExited?.();
    if (stopping) throw canceled();
    return await run.outcome(status, options.outputDir, errors.tail);
  } finally {
    clearTimeout(killTimer);
    options.signal.removeEventListener("abort", stop);
  }
}

function signalChild(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // Already exited.
  }
}

function canceled(): JobFailure {
  return new JobFailure("canceled", false, "canceled");
}

/** What the console said so far, and the progress it implies. */
class RunState {
  readonly console = new Wan2gpConsole();
  skipped: string | null = null;
  lastError: string | null = null;
  completed = 0;

  constructor(readonly onProgress: (report: ProgressReport) => void) {}

  apply(events: ConsoleEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case "task":
          this.onProgress({ percent: 0, message: "Wan2GP: loading the model" });
          break;
        case "step":
          this.onProgress({
            percent: Math.min(99, (event.step / event.total) * 100),
            message: `Wan2GP: ${event.message || "working"}`,
            step: { current: event.step, total: event.total },
          });
          break;
        case "skip":
          this.skipped = event.reason;
          break;
        case "error":
          this.lastError = event.message;
          break;
        case "task_done":
          this.completed++;
          break;
        case "queue_done":
          break;
      }
    }
  }

  async outcome(status: Deno.CommandStatus, outputDir: string, stderr: string[]): Promise<string> {
    const why = this.lastError ?? stderr.at(-1) ?? this.console.tail.at(-1);
    if (this.skipped !== null) {
      throw new JobFailure(`Wan2GP refused the settings: ${this.skipped}`, false, "validation");
    }
    if (status.code === 130 || status.signal) {
      throw new JobFailure(
        `Wan2GP was interrupted (${status.signal ?? "exit 130"}) before it finished`,
        true,
        "runtime",
      );
    }
    if (!status.success) {
      // Out of memory may pass on another machine or after a restart; other errors will not.
      const retriable = /out of memory|CUDA error|cudaMalloc/i.test(why ?? "");
      throw new JobFailure(
        `Wan2GP failed (exit ${status.code})${why ? `: ${why}` : ""}`,
        retriable,
        "runtime",
      );
    }
    const video = this.completed > 0 ? await newestVideo(outputDir) : null;
    if (!video) {
      throw new JobFailure(
        `Wan2GP finished without saving a video${why ? `: ${why}` : ""}`,
        false,
        "output",
      );
    }
    return video;
  }
}

/** The newest video Wan2GP saved in the job's own output folder. */
async function newestVideo(dir: string): Promise<string | null> {
  let best: { path: string; mtime: number } | null = null;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !/\.(mp4|mkv|webm|mov)$/i.test(entry.name)) continue;
      const path = join(dir, entry.name);
      const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (!best || mtime > best.mtime) best = { path, mtime };
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return best?.path ?? null;
}

async function pump(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  onText: (text: string) => void,
  onEnd: () => void,
): Promise<void> {
  for await (const text of stream.pipeThrough(new TextDecoderStream())) onText(text);
  onEnd();
}
