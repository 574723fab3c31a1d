/**
 * `run`: the daemon bound to the process: credentials, machine detection, backends, the edge
 * client, signals (staged shutdown), and the exit code.
 *
 * Exit codes: 0 after a clean drain (first Ctrl-C/SIGTERM, running jobs finished); 130 after a
 * second or third signal (jobs interrupted and released, or exited at once); 3 when the edge
 * refuses the credentials (revoked); 1 on an unexpected failure.
 */
import type { JobBackend } from "../backends/backend.ts";
import type { AgentConfig } from "../config/config.ts";
import type { Credentials } from "../config/credentials.ts";
import { advertisedProfile } from "../detect/advertise.ts";
import { nvidiaSmiUsed, type UsedQuery, VramSampler } from "../detect/vram_sampler.ts";
import { systemClock } from "../../protocol/clock.ts";
import type { Detection } from "../detect/detect.ts";
import type { Logger } from "../log/logger.ts";
import type { ProgressRenderer } from "../progress/renderer.ts";
import { Daemon, type DaemonOptions } from "../run/daemon.ts";
import { EdgeCalls, type EdgeCallsOptions } from "../run/edge_calls.ts";
import { EdgeClient } from "../run/edge_client.ts";
import { CliError } from "./cli_error.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import { MAKE_A_TOKEN } from "./help.ts";

export interface RunDeps {
  credentials: Credentials | null;
  detect: () => Promise<Detection>;
  backends: () => Promise<JobBackend[]>;
  logger: Logger;
  renderer: ProgressRenderer | null;
  /** Calls `listener` on each SIGINT/SIGTERM; returns a function that removes it. */
  onSignal: (listener: () => void) => () => void;
  /** Ends the process at once (third signal). */
  exitNow: (code: ExitCode) => void;
  fetch?: typeof fetch;
  /** Where GPU memory readings come from; default nvidia-smi (tests: recorded outputs). */
  vramQuery?: UsedQuery;
  /** Test hooks: faster claims, heartbeats and health checks. */
  tuning?:
    & Pick<
      DaemonOptions,
      | "claimWaitMs"
      | "heartbeatIntervalMs"
      | "monitorIntervalMs"
      | "recoveryDelaysMs"
      | "maxEventsPerSecond"
      | "trace"
      | "posterBacklog"
    >
    & { edgeBackoff?: Pick<EdgeCallsOptions, "baseDelayMs" | "maxDelayMs"> };
}

export async function runAgent(config: AgentConfig, deps: RunDeps): Promise<ExitCode> {
  const credentials = deps.credentials;
  if (!credentials) {
    throw new CliError(
      `not enrolled (no credentials in ${config.configDir})`,
      EXIT.notEnrolled,
      MAKE_A_TOKEN,
    );
  }
  const [{ profile: machine, problems }, backends] = await Promise.all([
    deps.detect(),
    deps.backends(),
  ]);
  for (const problem of problems) deps.logger.warn(problem);
  // A bad template costs its own jobs, nothing else: one line each, then on with the rest.
  for (const backend of backends) {
    for (const problem of backend.templateProblems ?? []) deps.logger.warn(problem);
    await backend.start?.(deps.logger);
  }
  const client = new EdgeClient({
    serverUrl: config.serverUrl ?? credentials.serverUrl,
    agentId: credentials.agentId,
    secret: credentials.secret,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const { edgeBackoff, ...tuning } = deps.tuning ?? {};
  const daemon = new Daemon({
    edge: new EdgeCalls(client, { logger: deps.logger, ...edgeBackoff }),
    backends,
    gpus: machine.gpus,
    concurrency: config.concurrency,
    workDir: config.workDir,
    profile: (statuses) => advertisedProfile(machine, statuses, config.concurrency),
    logger: deps.logger,
    renderer: deps.renderer,
    heartbeatIntervalMs: credentials.heartbeatIntervalMs,
    ...(config.exitWhenIdleS !== null ? { exitWhenIdleMs: config.exitWhenIdleS * 1000 } : {}),
    // Peaks are sampled on NVIDIA GPUs only (nvidia-smi reads NVML).
    ...(machine.gpus.some((g) => g.vendor === "nvidia")
      ? { vram: new VramSampler(deps.vramQuery ?? nvidiaSmiUsed(), systemClock) }
      : {}),
    ...tuning,
  });
  const removeListener = deps.onSignal(() => {
    if (daemon.shutdown() >= 3) deps.exitNow(EXIT.interrupted);
  });
  try {
    const result = await daemon.run();
    switch (result.stop) {
      case "drained":
        deps.logger.info("stopped");
        return EXIT.ok;
      case "interrupted":
      case "killed":
        return EXIT.interrupted;
      case "rejected":
        throw new CliError(
          result.message ?? "the edge rejected this agent's credentials",
          EXIT.notEnrolled,
          MAKE_A_TOKEN,
        );
      case "failed":
        throw new CliError(result.message ?? "the agent stopped", EXIT.failure);
    }
  } finally {
    removeListener();
  }
}

/** Process signals that stop the agent: Ctrl-C, and SIGTERM from a service manager. */
export function processSignals(listener: () => void): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return () => {
    for (const signal of signals) Deno.removeSignalListener(signal, listener);
  };
}
