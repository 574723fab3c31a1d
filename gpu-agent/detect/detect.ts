/**
 * Detects the machine: merges nvidia-smi and systeminformation into one `MachineProfile`, and
 * lists what went wrong as fixes for the user. `buildProfile` is the pure merge; `detectMachine`
 * gathers the inputs.
 *
 * @example
 * ```ts
 * const { profile, problems } = await detectMachine({ vramOverrideMiB: config.vramMiB });
 * ```
 */
import si from "systeminformation";
import type { Systeminformation } from "systeminformation";
import { queryNvidiaSmi, type SmiResult } from "./nvidia_smi.ts";
import { gpusFromGraphics } from "./si_graphics.ts";
import { applyVramOverride, type MachineProfile } from "./profile.ts";

type Controller = Systeminformation.GraphicsControllerData;

export interface Detection {
  profile: MachineProfile;
  /** Each a sentence with the fix ("… set MD_VRAM_MIB"). Empty when all is well. */
  problems: string[];
}

export interface ProfileInput {
  hostname: string;
  os: string;
  cpus: number;
  memoryMiB: number;
  smi: SmiResult;
  /** systeminformation's controllers, or an error message when graphics() failed. */
  controllers: Controller[] | { error: string };
  vramOverrideMiB?: number;
}

/** Merges the detection sources into a profile. Pure. */
export function buildProfile(input: ProfileInput): Detection {
  const problems: string[] = [];
  const nvidiaGpus = input.smi.ok ? input.smi.gpus : [];
  let controllers: Controller[] = [];
  if (Array.isArray(input.controllers)) controllers = input.controllers;
  else problems.push(`could not list graphics controllers: ${input.controllers.error}`);

  let gpus = [
    ...nvidiaGpus,
    ...gpusFromGraphics(controllers, { skipNvidia: input.smi.ok, firstIndex: nvidiaGpus.length }),
  ];
  // nvidia-smi missing is normal on a machine without an NVIDIA card; worth saying otherwise.
  if (
    !input.smi.ok &&
    (gpus.some((g) => g.vendor === "nvidia") || !/not found/.test(input.smi.problem))
  ) {
    problems.push(input.smi.problem);
  }
  if (input.vramOverrideMiB !== undefined) {
    gpus = applyVramOverride(gpus, input.vramOverrideMiB);
  } else {
    for (const gpu of gpus.filter((g) => g.vramTotalMiB === null)) {
      problems.push(
        `VRAM of GPU ${gpu.index} (${gpu.name}) is unknown: set MD_VRAM_MIB (e.g. MD_VRAM_MIB=16384 for 16 GB)`,
      );
    }
  }
  return {
    profile: {
      hostname: input.hostname,
      os: input.os,
      gpus,
      cpus: input.cpus,
      memoryMiB: input.memoryMiB,
    },
    problems,
  };
}

export interface DetectOptions {
  vramOverrideMiB?: number;
  /** Replaceable sources, for tests. */
  nvidiaSmi?: () => Promise<SmiResult>;
  graphics?: () => Promise<{ controllers: Controller[] }>;
  /** systeminformation shells out to several tools; do not let one hang the agent. */
  graphicsTimeoutMs?: number;
}

export async function detectMachine(options: DetectOptions = {}): Promise<Detection> {
  const [smi, controllers] = await Promise.all([
    (options.nvidiaSmi ?? queryNvidiaSmi)(),
    _withTimeout((options.graphics ?? (() => si.graphics()))(), options.graphicsTimeoutMs ?? 15_000)
      .then((g) => g.controllers, (e: Error) => ({ error: e.message })),
  ]);
  return buildProfile({
    hostname: Deno.hostname(),
    os: `${Deno.build.os} ${Deno.osRelease()} (${Deno.build.arch})`,
    cpus: navigator.hardwareConcurrency,
    memoryMiB: Math.round(Deno.systemMemoryInfo().total / 1024 / 1024),
    smi,
    controllers,
    ...(options.vramOverrideMiB !== undefined ? { vramOverrideMiB: options.vramOverrideMiB } : {}),
  });
}

function _withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
