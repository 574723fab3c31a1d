/**
 * GPUs as systeminformation's `graphics()` sees them (every vendor and OS). Its `vram` is not
 * always the card's memory: on Linux without the NVIDIA driver it comes from lspci and is the
 * PCI window (256 MiB), and integrated GPUs report a slice of system memory. So only dedicated
 * memory of at least 2 GiB counts, and integrated or virtual adapters are left out.
 */
import type { Systeminformation } from "systeminformation";
import type { GpuInfo, GpuVendor } from "./profile.ts";

type Controller = Systeminformation.GraphicsControllerData;

/** Below this a "dedicated" memory figure is a PCI window or a virtual adapter, not VRAM. */
const MIN_REAL_VRAM_MIB = 2048;

export function vendorOf(vendor: string, model = ""): GpuVendor {
  const text = `${vendor} ${model}`.toLowerCase();
  if (text.includes("nvidia")) return "nvidia";
  if (text.includes("advanced micro devices") || /\bamd\b|\bati\b|radeon/.test(text)) return "amd";
  if (text.includes("apple")) return "apple";
  if (text.includes("intel")) return "intel";
  return "other";
}

export interface GraphicsOptions {
  /** nvidia-smi worked: its figures are exact, so NVIDIA controllers here are skipped. */
  skipNvidia: boolean;
  /** First index to give (after the nvidia-smi GPUs). */
  firstIndex: number;
}

/** The usable GPUs among systeminformation's controllers. Pure. */
export function gpusFromGraphics(controllers: Controller[], options: GraphicsOptions): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const controller of controllers) {
    const vendor = vendorOf(controller.vendor ?? "", controller.model ?? "");
    if (vendor === "nvidia" && options.skipNvidia) continue;
    const name = controller.name || controller.model || controller.vendor || "unknown GPU";
    const dedicated = !controller.vramDynamic && (controller.vram ?? 0) >= MIN_REAL_VRAM_MIB
      ? controller.vram
      : null;
    const total = controller.memoryTotal ?? dedicated ?? null;
    // A discrete card we cannot size is still worth listing (doctor tells how to set VRAM);
    // Apple silicon shares system memory and runs generation backends, so it is kept too.
    const keep = total !== null || vendor === "nvidia" || vendor === "apple";
    if (!keep) continue;
    gpus.push({
      index: options.firstIndex + gpus.length,
      name,
      vendor,
      vramTotalMiB: total,
      vramFreeMiB: controller.memoryFree ?? null,
    });
  }
  return gpus;
}
