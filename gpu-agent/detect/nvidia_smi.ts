/**
 * Reads NVIDIA GPUs and their free memory from `nvidia-smi`. The parser is pure (tested on
 * recorded output); `queryNvidiaSmi` runs the command with an argv, no shell, and a timeout,
 * and turns every way it can fail into a problem phrased as a fix.
 */
import type { GpuInfo } from "./profile.ts";

export const NVIDIA_SMI_ARGS = [
  "--query-gpu=index,name,memory.total,memory.free",
  "--format=csv,noheader,nounits",
] as const;

export type SmiResult =
  | { ok: true; gpus: GpuInfo[] }
  | { ok: false; problem: string };

const DRIVER_FIX =
  "the NVIDIA driver is not loaded: install or reinstall it (e.g. `sudo apt-get install nvidia-driver`) and reboot, or set MD_VRAM_MIB";

/** Parses `index, name, memory.total, memory.free` lines (MiB, no units). */
export function parseNvidiaSmi(stdout: string): SmiResult {
  const text = stdout.trim();
  if (/NVIDIA-SMI has failed/i.test(text)) {
    return { ok: false, problem: `nvidia-smi failed: ${DRIVER_FIX}` };
  }
  if (text === "") return { ok: true, gpus: [] };
  const gpus: GpuInfo[] = [];
  for (const [lineNo, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const fields = line.split(",").map((f) => f.trim());
    // GPU names have no commas in practice, but keep everything between index and memory.
    if (fields.length < 4) {
      return {
        ok: false,
        problem: `nvidia-smi printed an unexpected line ${lineNo + 1}: "${line}"`,
      };
    }
    const index = Number(fields[0]);
    const name = fields.slice(1, -2).join(", ");
    const total = _mib(fields.at(-2)!);
    const free = _mib(fields.at(-1)!);
    if (!Number.isInteger(index)) {
      return {
        ok: false,
        problem: `nvidia-smi printed an unexpected line ${lineNo + 1}: "${line}"`,
      };
    }
    gpus.push({ index, name, vendor: "nvidia", vramTotalMiB: total, vramFreeMiB: free });
  }
  return { ok: true, gpus };
}

/** "[N/A]" (MIG slices, some laptops) means unknown, not zero. */
function _mib(field: string): number | null {
  const value = Number(field);
  return field !== "" && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

export interface QueryOptions {
  /** The executable; a test points it at a fake. */
  command?: string;
  timeoutMs?: number;
}

/** Runs nvidia-smi and parses its output; never throws. */
export async function queryNvidiaSmi(options: QueryOptions = {}): Promise<SmiResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(options.command ?? "nvidia-smi", {
      args: [...NVIDIA_SMI_ARGS],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        ok: false,
        problem:
          "nvidia-smi not found: no NVIDIA driver installed (fine for CPU-only or non-NVIDIA machines)",
      };
    }
    return { ok: false, problem: `could not run nvidia-smi: ${(error as Error).message}` };
  }
  const stdout = new TextDecoder().decode(output.stdout);
  if (output.signal !== null) {
    return {
      ok: false,
      problem: `nvidia-smi did not answer within ${timeoutMs} ms: ${DRIVER_FIX}`,
    };
  }
  const parsed = parseNvidiaSmi(stdout);
  if (!parsed.ok || output.success) return parsed;
  const stderr = new TextDecoder().decode(output.stderr).trim();
  return {
    ok: false,
    problem: `nvidia-smi exited with code ${output.code}${stderr ? `: ${stderr}` : ""}`,
  };
}
