/**
 * The agent alone in its own process, as a user runs it, for bench/agent/main.ts: the edge and
 * the fake ComfyUI stay in the benchmark's process, so their work never runs on the agent's
 * thread and is never counted as the agent's.
 *
 * `deno run -A bench/agent/agent_process.ts '{"configDir":…,"workDir":…,"comfyuiUrl":…,"jobs":N}'`
 * With `"wan2gp": {"dir":…,"bridgeUrl":…}` it also runs Wan2GP (bench/backends), tracing when
 * wgp.py starts and exits (`wan2gp_spawned`, `wan2gp_exited`) in process mode.
 *
 * Prints `ready` once connected to the edge; after `jobs` jobs have settled it drains (as one
 * Ctrl-C does) and prints one JSON line: its trace (`[type, jobId, epochMs]` per event) and the
 * CPU time the process used from the first claim to the last job settled. Log lines and
 * progress go to stderr, as a real agent's do.
 */
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { processSignals } from "../../gpu-agent/cli/run.ts";
import { cpuUsage } from "node:process";
import { consoleLogger } from "../../gpu-agent/log/logger.ts";
import { ProgressRenderer } from "../../gpu-agent/progress/renderer.ts";
import { agentIo, type AgentSetup } from "../../test/agent/agent_io.ts";
import { epochMs } from "./epoch.ts";
import { Wan2gpBackend } from "../../gpu-agent/backends/wan2gp/mod.ts";
import { DETECTION } from "../../test/agent/detection_fixture.ts";

/** The Wan2GP the benchmark's agent runs (a fake installation). */
export interface BenchWan2gp {
  dir: string;
  bridgeUrl: string;
}

if (import.meta.main) {
  const setup = JSON.parse(Deno.args[0] ?? "{}") as AgentSetup & {
    jobs: number;
    wan2gp?: BenchWan2gp;
  };
  const encoder = new TextEncoder();
  const print = (line: string) => Deno.stdout.writeSync(encoder.encode(`${line}\n`));
  const trace: [string, string, number][] = [];
  let settled = 0;
  const cpu: { atFirstClaim?: NodeJS.CpuUsage; run?: NodeJS.CpuUsage } = {};
  let drain: (() => void) | null = null;
  /** The job now running (one at a time here): Wan2GP's process events belong to it. */
  let running = "";
  const wan2gp = setup.wan2gp;
  const io = agentIo({
    ...setup,
    ...(wan2gp
      ? {
        backends: (defaults) => [
          ...defaults,
          new Wan2gpBackend({
            dir: wan2gp.dir,
            bridgeUrl: wan2gp.bridgeUrl,
            python: "python3",
            memory: () =>
              Promise.resolve({
                vramMiB: DETECTION.profile.gpus[0]!.vramTotalMiB,
                ramMiB: DETECTION.profile.memoryMiB,
              }),
            onProcess: (event) => trace.push([`wan2gp_${event}`, running, epochMs()]),
          }),
        ],
      }
      : {}),
    trace: (event) => {
      const type = event.type === "settled" ? `settled ${event.outcome}` : event.type;
      if (event.type === "backend_started") running = event.jobId;
      trace.push([type, event.jobId, epochMs()]);
      if (event.type === "claimed") cpu.atFirstClaim ??= cpuUsage();
      if (event.type === "settled" && ++settled === setup.jobs) {
        cpu.run = cpuUsage(cpu.atFirstClaim);
        drain?.();
      }
    },
  }, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    logger: {
      ...consoleLogger,
      info(message) {
        consoleLogger.info(message);
        if (message.startsWith("connected to")) print("ready");
      },
    },
    renderer: new ProgressRenderer({
      isTty: false,
      write: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    }),
    onSignal: (listener) => {
      drain = listener;
      return processSignals(listener);
    },
    exitNow: (code) => Deno.exit(code),
  });
  const code = await runCli(["run"], io);
  const cpuMs = cpu.run ? (cpu.run.user + cpu.run.system) / 1000 : null;
  print(JSON.stringify({ trace, cpuMs }));
  Deno.exit(code);
}
