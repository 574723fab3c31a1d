/**
 * What the Agents page prints: the exact enrollment command for the GPU machine, and a GPU
 * line ("RTX 4090 · 24 GB"). Pure, so the command a user copies is tested.
 */
import type { AgentProfile } from "../api/types.ts";

/** Single-quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** The commands that enroll an agent with this studio: the plain form and the task form. */
export function enrollCommands(
  origin: string,
  token: string,
  name: string,
): { command: string; task: string; run: string } {
  const args = ["enroll", "--server", origin, "--token", token];
  if (name.trim()) args.push("--name", name.trim());
  const quoted = args.map(shellQuote).join(" ");
  return {
    command: `deno run -A gpu-agent/main.ts ${quoted}`,
    task: `deno task agent ${quoted}`,
    run: "deno run -A gpu-agent/main.ts run",
  };
}

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
