/**
 * How the end-to-end tests and the benchmark run the agent: `runCli(["run"])` with this
 * machine's detection replaced by one RTX 4090, the ComfyUI backend pointed at the fake (fast
 * watch timings), ffmpeg, and short claims and retries. Free of the edge, so the benchmark can
 * run the agent alone in its own process (bench/agent/agent_process.ts).
 */
import type { JobBackend } from "../../gpu-agent/backends/backend.ts";
import { ComfyUIBackend, loadTemplates } from "../../gpu-agent/backends/comfyui/mod.ts";
import { FfmpegBackend } from "../../gpu-agent/backends/ffmpeg/mod.ts";
import type { CliIo } from "../../gpu-agent/cli/run_cli.ts";
import type { TraceEvent } from "../../gpu-agent/run/trace.ts";
import type { Detection } from "../../gpu-agent/detect/detect.ts";
import { DETECTION } from "./detection_fixture.ts";

export { DETECTION };

export const templates = await loadTemplates();

/** Every model file the templates need, so the fake advertises every template. */
export function allModels(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of templates) {
    for (const m of t.binding.models) {
      if (!(out[m.folder] ??= []).includes(m.file)) out[m.folder]!.push(m.file);
    }
  }
  return out;
}

/** Fast ComfyUI watch timing: the backend notices restarts and cancels in well under a second. */
const FAST = { pollMs: 100, reconnectDelaysMs: [20, 50, 100, 200, 400], cancelWaitMs: 2_000 };

export interface AgentSetup {
  configDir: string;
  workDir: string;
  comfyuiUrl: string;
  concurrency?: number;
  trace?: (event: TraceEvent) => void;
  /** Finished jobs that may wait for their posters while the agent claims; default the agent's. */
  posterBacklog?: number;
  /** Backend health checks; default the agent's 30 s. */
  monitorIntervalMs?: number;
  /** Replaces or wraps the backends (the fake's ComfyUI, then ffmpeg). */
  backends?: (backends: JobBackend[]) => JobBackend[];
  /** The agent's own backends, as a user runs it (templates from its folders, default timings). */
  ownBackends?: boolean;
  /** What the agent detects; default one RTX 4090 (DETECTION). */
  detection?: Detection;
  /** More environment for the agent (the Docker tests' MD_MODELS_DIR and DOCKER_HOST). */
  env?: Record<string, string>;
  /**
   * Test timings: 1 s claims, 20 progress events a second, retries 50–300 ms apart (default).
   * `false`: the agent's own defaults, as a user runs it (the benchmark).
   */
  fast?: boolean;
}

/** Where the agent's output, logs, progress and signals go: the caller's choice. */
export type AgentHost = Required<
  Pick<CliIo, "out" | "err" | "logger" | "renderer" | "onSignal" | "exitNow">
>;

/** The `CliIo` for `runCli(["run"], io)`: credentials in `configDir`, the fake at `comfyuiUrl`. */
export function agentIo(setup: AgentSetup, host: AgentHost): CliIo {
  const defaults: JobBackend[] = [
    new ComfyUIBackend({ url: setup.comfyuiUrl, templates, timing: FAST, clientId: "agent-e2e" }),
    new FfmpegBackend(),
  ];
  const backends = setup.backends?.(defaults) ?? defaults;
  return {
    ...host,
    env: {
      HOME: "/nonexistent",
      MD_CONFIG_DIR: setup.configDir,
      MD_WORK_DIR: setup.workDir,
      MD_CONCURRENCY: String(setup.concurrency ?? 1),
      MD_COMFYUI_URL: setup.comfyuiUrl,
      ...setup.env,
    },
    detect: () => Promise.resolve(setup.detection ?? DETECTION),
    ...(setup.ownBackends ? {} : { backends: () => Promise.resolve(backends) }),
    tuning: {
      ...(setup.fast === false ? {} : {
        claimWaitMs: 1000,
        maxEventsPerSecond: 20,
        recoveryDelaysMs: [100, 200, 400, 800, 1600],
        edgeBackoff: { baseDelayMs: 50, maxDelayMs: 300 },
      }),
      ...(setup.trace ? { trace: setup.trace } : {}),
      ...(setup.posterBacklog ? { posterBacklog: setup.posterBacklog } : {}),
      ...(setup.monitorIntervalMs ? { monitorIntervalMs: setup.monitorIntervalMs } : {}),
    },
  };
}
