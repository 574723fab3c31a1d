/**
 * The ffmpeg backend's health check: is ffmpeg (and ffprobe) installed, which version, and which
 * of our plans can this build run (its filters and the H.264 encoder). Never throws.
 */
import type { BackendStatus } from "../backend.ts";
import { REQUIRED_FILTERS } from "./plans/common.ts";

export interface ProbeFfmpegOptions {
  ffmpeg?: string;
  ffprobe?: string;
  signal?: AbortSignal;
}

/** The install command for this OS, phrased as a fix. */
export function installFix(os: typeof Deno.build.os = Deno.build.os): string {
  if (os === "darwin") return "install ffmpeg: brew install ffmpeg";
  if (os === "windows") return "install ffmpeg: winget install ffmpeg";
  return "install ffmpeg: apt-get install ffmpeg";
}

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright …" → "5.1.9-0+deb12u1". */
export function parseVersion(stdout: string): string | null {
  return /^\S+ version (\S+)/.exec(stdout.trim())?.[1] ?? null;
}

/** Names in `ffmpeg -filters` / `-encoders` listings (" TSC xfade  VV->V  …"). */
export function listedNames(stdout: string): Set<string> {
  const names = new Set<string>();
  for (const line of stdout.split("\n")) {
    const match = /^\s*[A-Z.|]{3,6}\s+(\S+)\s/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

export async function probeFfmpeg(options: ProbeFfmpegOptions = {}): Promise<BackendStatus> {
  const ffmpeg = options.ffmpeg ?? "ffmpeg";
  const base = { kind: "ffmpeg" as const, templates: [], models: [] };
  const version = await _run(ffmpeg, ["-hide_banner", "-version"], options.signal);
  if (version === null) return { ...base, version: null, healthy: false, problem: installFix() };
  const probeVersion = await _run(options.ffprobe ?? "ffprobe", ["-version"], options.signal);
  if (probeVersion === null) {
    return {
      ...base,
      version: parseVersion(version),
      healthy: false,
      problem: `ffprobe is missing: ${installFix()}`,
    };
  }
  const filters = listedNames(
    await _run(ffmpeg, ["-hide_banner", "-filters"], options.signal) ?? "",
  );
  const encoders = listedNames(
    await _run(ffmpeg, ["-hide_banner", "-encoders"], options.signal) ?? "",
  );
  if (!encoders.has("libx264")) {
    return {
      ...base,
      version: parseVersion(version),
      healthy: false,
      problem: `this ffmpeg has no libx264 encoder: ${installFix()} (a full build)`,
    };
  }
  const templates = Object.entries(REQUIRED_FILTERS)
    .filter(([, needed]) => needed.every((f) => filters.has(f)))
    .map(([name]) => name);
  const missing = Object.keys(REQUIRED_FILTERS).filter((name) => !templates.includes(name));
  return {
    ...base,
    version: parseVersion(version),
    healthy: templates.length > 0,
    templates,
    ...(missing.length > 0
      ? {
        problem: `this ffmpeg cannot run ${
          missing.join(", ")
        } (filters missing): upgrade ffmpeg to 4.3 or later`,
      }
      : {}),
  };
}

/** Runs a command for its stdout; null when it is missing or fails. */
async function _run(command: string, args: string[], signal?: AbortSignal): Promise<string | null> {
  try {
    const output = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: signal ?? AbortSignal.timeout(10_000),
    }).output();
    return output.success ? new TextDecoder().decode(output.stdout) : null;
  } catch {
    return null;
  }
}
