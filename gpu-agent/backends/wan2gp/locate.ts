/**
 * Finding a Wan2GP installation: its folder (wgp.py), its version, and the python that runs it
 * (the one given, else its own venv's, else python3 or python on PATH).
 */
import { join } from "node:path";

/** The python to run Wan2GP with, or null (with what was tried) when none runs. */
export async function findPython(
  dir: string,
  given: string | null,
): Promise<{ python: string | null; tried: string[] }> {
  const windows = Deno.build.os === "windows";
  const venvs = [".venv", "venv"].map((venv) =>
    windows ? join(dir, venv, "Scripts", "python.exe") : join(dir, venv, "bin", "python")
  );
  const candidates = given ? [given] : [...venvs, windows ? "python" : "python3", "python"];
  for (const python of candidates) {
    if (await runs(python)) return { python, tried: candidates };
  }
  return { python: null, tried: candidates };
}

async function runs(python: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(python, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
      signal: AbortSignal.timeout(10_000),
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** `WanGP_version = "…"` near the top of wgp.py; null when absent or unreadable. */
export async function wan2gpVersion(dir: string): Promise<string | null> {
  try {
    const file = await Deno.open(join(dir, "wgp.py"));
    const head = new Uint8Array(64 * 1024);
    const n = await file.read(head);
    file.close();
    const text = new TextDecoder().decode(head.subarray(0, n ?? 0));
    return /^WanGP_version\s*=\s*["']([^"']{1,40})["']/m.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

export async function hasWgp(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(join(dir, "wgp.py"))).isFile;
  } catch {
    return false;
  }
}
