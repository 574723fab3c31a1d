/**
 * One container from create to remove: create, attach (before start, so no byte of output is
 * missed), start, then wait for whichever comes first: the exit, the config's timeout, or the
 * job's cancel. A timeout or cancel stops it (SIGTERM, then SIGKILL after the grace period; the
 * engine does both). The container is removed in every case, failures and cancels included
 * (after a clean exit, possibly once this has returned: `onRemoval`).
 *
 * Failures come out as JobFailures: the engine gone is `backend_down` (the job goes back, no
 * attempt spent); a timeout is "timed out after N s"; a cancel is `canceled`.
 *
 * @example
 * ```ts
 * const exit = await runContainer(engine, { name, spec, timeoutSeconds: 3600, graceSeconds: 10,
 *   signal, onLine: (stream, line) => watch.line(stream, line) });
 * if (exit.code !== 0) throw new JobFailure(`exited with ${exit.code}`, false, "runtime");
 * ```
 */
import { JobFailure } from "../backend.ts";
import type { ContainerSpec } from "./container_spec.ts";
import { type DockerEngine, EngineError, EngineUnreachable } from "./engine.ts";
import { readLines, type StreamName } from "./log_stream.ts";

export interface ContainerRun {
  name: string;
  spec: ContainerSpec;
  timeoutSeconds: number;
  /** Between SIGTERM and SIGKILL when it must stop; 10 s by default. */
  graceSeconds: number;
  signal: AbortSignal;
  onLine: (stream: StreamName, line: string) => void;
  /** Told the container's id once it exists (tests, and the crash test's leftovers). */
  onCreated?: (id: string) => void;
  /**
   * Given the removal of a container that exited by itself, instead of waiting for it: its
   * outputs are in the job's folder and its log was read to the end, so the job need not wait
   * for the engine to delete it (tens of ms, more under load). It is still always removed: the
   * caller keeps the promise (DockerBackend.settled). Without this, `runContainer` waits.
   */
  onRemoval?: (removal: Promise<void>) => void;
}

export interface ContainerExit {
  code: number;
  /** The kernel killed it for passing its memory limit. */
  oomKilled: boolean;
}

/** How long the output may trail the exit before it is given up. */
const OUTPUT_DRAIN_MS = 5_000;

export async function runContainer(
  engine: DockerEngine,
  run: ContainerRun,
): Promise<ContainerExit> {
  const { signal } = run;
  let id: string | null = null;
  let exitedByItself = false;
  try {
    id = await engine.create(run.name, run.spec, signal);
    run.onCreated?.(id);
    const output = await engine.attach(id, signal);
    const reading = readLines(output, run.onLine).catch(() => {
      // The stream breaks when the engine kills the container or goes away: the wait says which.
    });
    await engine.start(id, signal);
    const exited = engine.wait(id);
    const stop = await _firstOf(exited, run.timeoutSeconds, signal);
    if (stop !== "exited") {
      await engine.stop(id, run.graceSeconds);
      await exited;
      if (stop === "canceled") throw new JobFailure("canceled", false, "canceled");
      throw new JobFailure(
        `timed out after ${run.timeoutSeconds} s (the model config's timeoutSeconds); stopped`,
        false,
        "runtime",
      );
    }
    const code = await exited;
    exitedByItself = true;
    let drain: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([reading, new Promise((r) => drain = setTimeout(r, OUTPUT_DRAIN_MS))]);
    clearTimeout(drain);
    // Why it failed matters only when it did: a clean exit costs no extra call.
    const oomKilled = code !== 0 && ((await engine.inspect(id))?.State.OOMKilled ?? false);
    return { code, oomKilled };
  } catch (error) {
    throw _failure(error, signal, run.spec.Image);
  } finally {
    // Always: a container of a failed or canceled job must not linger (or hold the GPU). One
    // that was stopped is gone before this returns; one that exited may go after.
    if (id) {
      const removal = engine.remove(id).catch(() => {});
      if (exitedByItself && run.onRemoval) run.onRemoval(removal);
      else await removal;
    }
  }
}

/** Whichever ends the run first. */
async function _firstOf(
  exited: Promise<number>,
  timeoutSeconds: number,
  signal: AbortSignal,
): Promise<"exited" | "timeout" | "canceled"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      exited.then(() => "exited" as const),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutSeconds * 1000);
      }),
      new Promise<"canceled">((resolve) => {
        onAbort = () => resolve("canceled");
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

function _failure(error: unknown, signal: AbortSignal, image: string): unknown {
  if (error instanceof JobFailure) return error;
  if (signal.aborted) return new JobFailure("canceled", false, "canceled");
  if (error instanceof EngineUnreachable) {
    return new JobFailure(error.message, true, "backend_down");
  }
  if (error instanceof EngineError) {
    if (error.status === 404 && /image/i.test(error.message)) {
      return new JobFailure(
        `image ${image} is not present: \`docker pull ${image}\` or build it`,
        false,
        "cannot_run",
      );
    }
    if (/device driver|nvidia/i.test(error.message)) {
      return new JobFailure(
        `the Docker Engine could not give the container a GPU (${error.message}): install the ` +
          `NVIDIA Container Toolkit and run \`nvidia-ctk runtime configure --runtime=docker\`, ` +
          `then restart Docker`,
        false,
        "runtime",
      );
    }
    return new JobFailure(`the Docker Engine refused: ${error.message}`, false, "runtime");
  }
  return error;
}
