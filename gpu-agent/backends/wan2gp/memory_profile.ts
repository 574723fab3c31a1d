/**
 * Which Wan2GP memory profile (`--profile`) fits this machine, from its GPU's VRAM and its RAM,
 * following the minimums Wan2GP documents for each profile (wgp.py `memory_profile_choices`,
 * docs/CLI.md "Performance Profiles"):
 *
 * | profile | name                 | at least          |
 * | ------- | -------------------- | ----------------- |
 * | 1       | HighRAM_HighVRAM     | 64 GB RAM, 24 GB VRAM |
 * | 2       | HighRAM_LowVRAM      | 64 GB RAM, 12 GB VRAM |
 * | 3       | LowRAM_HighVRAM      | 32 GB RAM, 24 GB VRAM |
 * | 3.5     | VeryLowRAM_HighVRAM  | 24 GB VRAM, little RAM (no reserved RAM) |
 * | 4       | LowRAM_LowVRAM       | 32 GB RAM, 12 GB VRAM (Wan2GP's default) |
 * | 4.5     | LowRAM_LowVRAM+      | 32 GB RAM, less VRAM than profile 4 |
 * | 5       | VerylowRAM_LowVRAM   | 24 GB RAM, 10 GB VRAM (fail safe) |
 *
 * @example
 * ```ts
 * chooseMemoryProfile({ vramMiB: 12282, ramMiB: 32_000 }).summary; // "profile 4: 12 GB VRAM, 32 GB RAM"
 * ```
 */

export type MemoryProfile = 1 | 2 | 3 | 3.5 | 4 | 4.5 | 5;

export interface MachineMemory {
  /** Total VRAM of the GPU Wan2GP runs on, in MiB (null: unknown). */
  vramMiB: number | null;
  /** Total RAM in MiB. */
  ramMiB: number;
}

export interface ProfileChoice {
  profile: MemoryProfile;
  /** "profile 4: 12 GB VRAM, 32 GB RAM": the job's rationale starts with it. */
  summary: string;
  /** Set when the machine is below even profile 5's documented minimum. */
  warning?: string;
}

/** Cards and RAM report less than they are sold as (a "12 GB" card shows 12282 MiB). */
const vramAtLeast = (mib: number, gb: number) => mib >= gb * 1024 - 512;
const ramAtLeast = (mib: number, gb: number) => mib >= gb * 1024 - 1024;
const gb = (mib: number) => `${Math.round(mib / 1024)} GB`;
/** The kernel keeps some RAM for itself: a "32 GB" machine reports about 31.4 GiB. */
const ramGb = (mib: number) => `${Math.ceil(mib / 1024)} GB`;

export function chooseMemoryProfile(memory: MachineMemory): ProfileChoice {
  const vram = memory.vramMiB ?? 0;
  const ram = memory.ramMiB;
  const profile: MemoryProfile = ramAtLeast(ram, 64) && vramAtLeast(vram, 24)
    ? 1
    : ramAtLeast(ram, 64) && vramAtLeast(vram, 12)
    ? 2
    : ramAtLeast(ram, 32) && vramAtLeast(vram, 24)
    ? 3
    : ramAtLeast(ram, 24) && vramAtLeast(vram, 24)
    ? 3.5
    : ramAtLeast(ram, 32) && vramAtLeast(vram, 12)
    ? 4
    : ramAtLeast(ram, 32) && vramAtLeast(vram, 10)
    ? 4.5
    : 5;
  const summary = `profile ${profile}: ${
    memory.vramMiB === null ? "VRAM unknown" : `${gb(vram)} VRAM`
  }, ${ramGb(ram)} RAM`;
  const short = !ramAtLeast(ram, 24) || !vramAtLeast(vram, 10);
  return short
    ? {
      profile,
      summary,
      warning: `${summary} is below Wan2GP's smallest documented machine (24 GB RAM, 10 GB ` +
        `VRAM): jobs may run out of memory`,
    }
    : { profile, summary };
}
