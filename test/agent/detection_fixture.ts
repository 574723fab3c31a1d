/** What the agent detects on a typical studio machine: one RTX 4090, no problems. */
import type { Detection } from "../../gpu-agent/detect/detect.ts";

export const DETECTION: Detection = {
  profile: {
    hostname: "render-01",
    os: "linux",
    gpus: [{
      index: 0,
      name: "NVIDIA GeForce RTX 4090",
      vendor: "nvidia",
      vramTotalMiB: 24564,
      vramFreeMiB: 23897,
    }],
    cpus: 16,
    memoryMiB: 65536,
  },
  problems: [],
};
