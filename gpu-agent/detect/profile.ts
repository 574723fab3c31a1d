/**
 * The machine profile an agent advertises: which GPUs it has and how much memory each holds.
 * Built from two sources: nvidia-smi (exact total and free VRAM of NVIDIA cards) and
 * systeminformation (every other GPU, and NVIDIA cards when nvidia-smi is broken).
 */

export type GpuVendor = "nvidia" | "amd" | "intel" | "apple" | "other";

export interface GpuInfo {
  index: number;
  name: string;
  vendor: GpuVendor;
  /** Dedicated memory in MiB; null when it could not be read (set MD_VRAM_MIB). */
  vramTotalMiB: number | null;
  /** Free memory in MiB right now; null where only nvidia-smi could tell. */
  vramFreeMiB: number | null;
}

export interface MachineProfile {
  hostname: string;
  os: string;
  gpus: GpuInfo[];
  /** Logical CPU cores. */
  cpus: number;
  memoryMiB: number;
}

/** The largest VRAM among the GPUs, 0 for a CPU-only machine (what the edge matches tiers on). */
export function largestVramMiB(profile: Pick<MachineProfile, "gpus">): number {
  return profile.gpus.reduce((max, gpu) => Math.max(max, gpu.vramTotalMiB ?? 0), 0);
}

/**
 * Applies a VRAM override (MD_VRAM_MIB) for machines where detection cannot read it: every GPU
 * gets that total, and a machine where no GPU was seen gets one.
 */
export function applyVramOverride(gpus: GpuInfo[], vramMiB: number): GpuInfo[] {
  if (gpus.length === 0) {
    return [{
      index: 0,
      name: "GPU (VRAM set by MD_VRAM_MIB)",
      vendor: "other",
      vramTotalMiB: vramMiB,
      vramFreeMiB: null,
    }];
  }
  return gpus.map((gpu) => ({
    ...gpu,
    vramTotalMiB: vramMiB,
    vramFreeMiB: gpu.vramFreeMiB === null ? null : Math.min(gpu.vramFreeMiB, vramMiB),
  }));
}
