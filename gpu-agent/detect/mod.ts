/** Machine detection: GPUs, VRAM, CPUs and memory, merged into the profile the agent advertises. */
export { buildProfile, type Detection, detectMachine, type DetectOptions } from "./detect.ts";
export { parseNvidiaSmi, queryNvidiaSmi, type SmiResult } from "./nvidia_smi.ts";
export { gpusFromGraphics, vendorOf } from "./si_graphics.ts";
export {
  applyVramOverride,
  type GpuInfo,
  type GpuVendor,
  largestVramMiB,
  type MachineProfile,
} from "./profile.ts";
