/**
 * Peak GPU memory while a job runs: nvidia-smi (which reads NVML) is asked for each GPU's memory
 * in use once a second, and once more when the job's run ends; the highest figure for the job's
 * GPU is reported with the completion, and the edge learns footprints from it. It counts all the
 * GPU's memory in use, models another job left loaded included: what the GPU really had to hold.
 *
 * Without nvidia-smi (no NVIDIA GPU, or it fails) nothing is reported; the first failure stops
 * the sampling for the rest of the agent's life, so a machine without it pays one try.
 *
 * @example
 * ```ts
 * const sampler = new VramSampler(nvidiaSmiUsed(), systemClock);
 * const watch = sampler.watch(0);
 * await runTheJob();
 * const peakMiB = await watch.stop(); // undefined when nothing could be read
 * ```
 */
import type { Clock } from "../../protocol/clock.ts";

export const NVIDIA_SMI_USED_ARGS = [
  "--query-gpu=index,memory.used",
  "--format=csv,noheader,nounits",
] as const;

/** Memory in use per GPU index, from `index, memory.used` lines; null when not that output. */
export function parseMemoryUsed(stdout: string): Map<number, number> | null {
  const used = new Map<number, number>();
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const [index, mib] = line.split(",").map((f) => f.trim());
    const value = Number(mib);
    // "[N/A]" (MIG slices, some laptops): nothing known for that GPU.
    if (!/^\d+$/.test(index ?? "") || mib === undefined) return null;
    if (mib !== "" && Number.isFinite(value) && value >= 0) used.set(Number(index), value);
  }
  return used.size > 0 ? used : null;
}

/** One reading: nvidia-smi's output, or null when it cannot be run. */
export type UsedQuery = () => Promise<string | null>;

/** Runs nvidia-smi for memory in use (argv, no shell, 5 s timeout). */
export function nvidiaSmiUsed(command = "nvidia-smi"): UsedQuery {
  return async () => {
    try {
      const output = await new Deno.Command(command, {
        args: [...NVIDIA_SMI_USED_ARGS],
        stdout: "piped",
        stderr: "null",
        stdin: "null",
        signal: AbortSignal.timeout(5000),
      }).output();
      return output.success ? new TextDecoder().decode(output.stdout) : null;
    } catch {
      return null;
    }
  };
}

export interface VramWatch {
  /** Takes a last reading and stops; the peak MiB seen on the GPU, undefined if none. */
  stop(): Promise<number | undefined>;
}

export class VramSampler {
  #working = true;

  constructor(
    private readonly query: UsedQuery | null,
    private readonly clock: Clock,
    private readonly intervalMs = 1000,
  ) {}

  /** Starts sampling GPU `index` (null: CPU work, nothing to sample). */
  watch(index: number | null): VramWatch {
    if (index === null || !this.query || !this.#working) {
      return { stop: () => Promise.resolve(undefined) };
    }
    let peak: number | undefined;
    let stopped = false;
    let cancel = () => {};
    let inFlight: Promise<void> = Promise.resolve();
    const sample = async () => {
      const text = await this.query!();
      const used = text === null ? null : parseMemoryUsed(text);
      if (!used) {
        this.#working = false;
        return;
      }
      const mib = used.get(index);
      if (mib !== undefined) peak = Math.max(peak ?? 0, mib);
    };
    const tick = () => {
      inFlight = sample().finally(() => {
        if (!stopped && this.#working) cancel = this.clock.setTimer(tick, this.intervalMs);
      });
    };
    tick();
    return {
      stop: async () => {
        stopped = true;
        cancel();
        await inFlight;
        if (this.#working) await sample();
        return peak;
      },
    };
  }
}
