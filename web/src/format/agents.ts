/**
 * What the Agents pages print: a GPU line ("RTX 4090 · 24 GB") and what an agent can run, in
 * words. Pure, so the wording is tested. The enrollment commands are protocol/agent_command.ts.
 */
import type { AgentProfile, AgentWork, BlockedAgentWork } from "../api/types.ts";

/** "24 GB" from MiB (GPUs are sold in GB; one decimal below 10). */
export function formatVram(mib: number | null): string {
  if (mib === null) return "VRAM unknown";
  const gb = mib / 1024;
  return `${gb < 10 ? gb.toFixed(1) : Math.round(gb)} GB`;
}

/** One line per GPU: "NVIDIA GeForce RTX 4090 · 24 GB"; "no GPU" for CPU-only machines. */
export function gpuLines(profile: AgentProfile): string[] {
  if (profile.gpus.length === 0) return ["no GPU (CPU work only)"];
  return profile.gpus.map((g) => `${g.name} · ${formatVram(g.vramTotalMiB)}`);
}

const BACKEND_NAMES: Record<string, string> = {
  comfyui: "ComfyUI",
  wan2gp: "Wan2GP",
  docker: "Docker",
  ffmpeg: "ffmpeg",
  gradio: "Gradio app",
};
const TIER_ORDER: readonly string[] = ["low", "standard", "high"];

/** What an agent runs, one line per node type: "Shot: standard, high". */
export function runnableLines(runnable: AgentWork[]): string[] {
  const tiers = new Map<string, string[]>();
  for (const work of runnable) {
    const list = tiers.get(work.title) ?? [];
    if (!list.includes(work.tier)) list.push(work.tier);
    tiers.set(work.title, list);
  }
  return [...tiers].map(([title, list]) =>
    `${title}: ${list.sort((a, b) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b)).join(", ")}`
  );
}

/**
 * What an agent cannot run yet and what would fix it, one line per pair: "Shot at high: put
 * wan2.1_t2v_14B.safetensors in ComfyUI's models/diffusion_models".
 */
export function blockedLines(blocked: BlockedAgentWork[]): string[] {
  return blocked.map((work) => {
    const backend = BACKEND_NAMES[work.backend] ?? work.backend;
    const fixes: string[] = [];
    if (work.missingClasses.length > 0) {
      fixes.push(
        `install the ${backend} custom node${work.missingClasses.length > 1 ? "s" : ""} ` +
          `${work.missingClasses.join(" and ")}`,
      );
    }
    if (work.missingModels.length > 0) {
      // Each folder with its files: "a in ComfyUI's models/x, b and c in models/y".
      const byFolder = new Map<string, string[]>();
      for (const m of work.missingModels) {
        byFolder.set(m.folder, [...byFolder.get(m.folder) ?? [], m.file]);
      }
      const places = [...byFolder].map(([folder, files], i) =>
        `${files.join(" and ")} in ${i === 0 ? `${backend}'s ` : ""}${
          work.backend === "comfyui" ? "models/" : ""
        }${folder}`
      );
      fixes.push(`put ${places.join(", ")}`);
    }
    return `${work.title} at ${work.tier}: ${fixes.join("; ") || "not runnable here"}`;
  });
}
