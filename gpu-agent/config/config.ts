/**
 * The agent's settings: command-line flags win over environment variables, which win over the
 * saved credentials (server URL) and the defaults. Every bad value is a usage error that
 * names the flag and the variable.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ server: "https://studio.example" }, Deno.env.toObject());
 * config.concurrency; // 1
 * ```
 */
import { CliError } from "../cli/cli_error.ts";
import { type Attention, ATTENTION_MODES } from "../backends/wan2gp/process_mode.ts";
import { defaultConfigDir, defaultWorkDir, type Env } from "./paths.ts";

export interface AgentConfig {
  /** The edge's base URL, or null when neither given nor saved at enrollment. */
  serverUrl: string | null;
  comfyuiUrl: string;
  /** VRAM override in MiB for machines where detection fails. */
  vramMiB: number | null;
  /** Jobs run at once. */
  concurrency: number;
  workDir: string;
  configDir: string;
  /** The user's templates folder: `--templates`, `MD_TEMPLATES_DIR`, else `<configDir>/templates`. */
  templatesDir: string;
  /** Whether it was given (then a missing folder is a problem; the default may be absent). */
  templatesDirGiven: boolean;
  /** Wan2GP, when its folder is given (`--wan2gp`); null leaves it out. */
  wan2gp: Wan2gpConfig | null;
  /** The user's Docker model configs (`--models`, default `<config-dir>/models`). */
  modelsDir: string;
  /** `DOCKER_HOST` (a `unix://` socket), when set. */
  dockerHost: string | null;
  /** Pull a Docker model's missing image when a job needs it (`--docker-pull`). */
  dockerPull: boolean;
  /**
   * `run` only: drain and exit 0 after this many seconds without a job (an autoscaled agent
   * that is no longer needed); null: run until stopped.
   */
  exitWhenIdleS: number | null;
}

export interface Wan2gpConfig {
  /** The folder Wan2GP was cloned into (holds wgp.py). */
  dir: string;
  /** The python that runs it; null: its venv's, else python3 / python. */
  python: string | null;
  /** Where the bridge answers when it runs (gradio mode). */
  bridgeUrl: string;
  attention: Attention;
}

/** Each setting: its flag, its environment variable. */
export const SETTINGS = {
  server: { env: "MD_SERVER_URL" },
  comfyui: { env: "MD_COMFYUI_URL" },
  vram: { env: "MD_VRAM_MIB" },
  concurrency: { env: "MD_CONCURRENCY" },
  "work-dir": { env: "MD_WORK_DIR" },
  "config-dir": { env: "MD_CONFIG_DIR" },
  templates: { env: "MD_TEMPLATES_DIR" },
  wan2gp: { env: "MD_WAN2GP_DIR" },
  "wan2gp-python": { env: "MD_WAN2GP_PYTHON" },
  "wan2gp-bridge": { env: "MD_WAN2GP_BRIDGE" },
  "wan2gp-attention": { env: "MD_WAN2GP_ATTENTION" },
  models: { env: "MD_MODELS_DIR" },
  "docker-pull": { env: "MD_DOCKER_PULL" },
  "exit-when-idle": { env: "MD_EXIT_WHEN_IDLE" },
} as const;

/** Where the Wan2GP bridge listens unless told otherwise (wan2gp_bridge.py's --port default). */
export const DEFAULT_WAN2GP_BRIDGE_URL = "http://127.0.0.1:7899";

export const DEFAULT_COMFYUI_URL = "http://127.0.0.1:8188";

type Flags = Record<string, string | boolean | undefined>;

export function resolveConfig(
  flags: Flags,
  env: Env,
  os: typeof Deno.build.os = Deno.build.os,
): AgentConfig {
  const pick = (name: keyof typeof SETTINGS): { value: string; source: string } | null => {
    const flag = flags[name];
    if (typeof flag === "string") return { value: flag, source: `--${name}` };
    const fromEnv = env[SETTINGS[name].env];
    if (fromEnv !== undefined && fromEnv !== "") {
      return { value: fromEnv, source: SETTINGS[name].env };
    }
    return null;
  };
  const server = pick("server");
  const comfyui = pick("comfyui");
  const vram = pick("vram");
  const concurrency = pick("concurrency");
  const configDir = pick("config-dir")?.value ?? defaultConfigDir(env, os);
  const templates = pick("templates");
  const wan2gp = pick("wan2gp");
  const bridge = pick("wan2gp-bridge");
  const attention = pick("wan2gp-attention");
  const sep = os === "windows" ? "\\" : "/";
  const pull = flags["docker-pull"] === true ? "1" : pick("docker-pull")?.value ?? "0";
  if (!["0", "1", "true", "false"].includes(pull)) {
    throw new CliError(`MD_DOCKER_PULL must be 1 or 0, got "${pull}"`);
  }
  const idle = pick("exit-when-idle");
  if (attention && !(ATTENTION_MODES as readonly string[]).includes(attention.value)) {
    throw new CliError(
      `${attention.source} must be one of ${ATTENTION_MODES.join(", ")}, got "${attention.value}"`,
    );
  }
  return {
    serverUrl: server ? parseHttpUrl(server.value, server.source) : null,
    comfyuiUrl: comfyui ? parseHttpUrl(comfyui.value, comfyui.source) : DEFAULT_COMFYUI_URL,
    vramMiB: vram
      ? parseInteger(vram.value, vram.source, 256, 16 * 1024 * 1024, "MiB, e.g. 16384 for 16 GB")
      : null,
    concurrency: concurrency
      ? parseInteger(concurrency.value, concurrency.source, 1, 64, "jobs at once")
      : 1,
    workDir: pick("work-dir")?.value ?? defaultWorkDir(env, os),
    configDir,
    templatesDir: templates?.value ?? `${configDir}${sep}templates`,
    templatesDirGiven: templates !== null,
    wan2gp: wan2gp
      ? {
        dir: wan2gp.value,
        python: pick("wan2gp-python")?.value ?? null,
        bridgeUrl: bridge ? parseHttpUrl(bridge.value, bridge.source) : DEFAULT_WAN2GP_BRIDGE_URL,
        attention: (attention?.value ?? "sdpa") as Attention,
      }
      : null,
    modelsDir: pick("models")?.value ?? `${configDir}${sep}models`,
    dockerHost: env.DOCKER_HOST || null,
    dockerPull: pull === "1" || pull === "true",
    exitWhenIdleS: idle
      ? parseInteger(idle.value, idle.source, 1, 7 * 86_400, "seconds without a job")
      : null,
  };
}

/** An http(s) URL without a trailing slash; `source` names the flag or variable in errors. */
export function parseHttpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `${source} is not a URL: "${value}"`,
      undefined,
      `use a full URL such as https://studio.example.com`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`${source} must be an http:// or https:// URL, got "${value}"`);
  }
  return url.href.replace(/\/+$/, "");
}

function parseInteger(
  value: string,
  source: string,
  min: number,
  max: number,
  unit: string,
): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(
      `${source} must be a whole number from ${min} to ${max} (${unit}), got "${value}"`,
    );
  }
  return n;
}
