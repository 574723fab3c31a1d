/**
 * The agent alone in its own process, as a user runs it, for bench/agent/main.ts: the edge and
 * the fake ComfyUI stay in the benchmark's process, so their work never runs on the agent's
 * thread and is never counted as the agent's.
 *
 * `deno run -A bench/agent/agent_process.ts '{"configDir":…,"workDir":…,"comfyuiUrl":…,"jobs":N}'`
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

if (import.meta.main) {
  const setup = JSON.parse(Deno.args[0] ?? "{}") as AgentSetup & { jobs: number };
  const encoder = new TextEncoder();
  const print = (line: string) => Deno.stdout.writeSync(encoder.encode(`${line}\n`));
  const trace: [string, string, number][] = [];
  let settled = 0;
  const cpu: { atFirstClaim?: NodeJS.CpuUsage; run?: NodeJS.CpuUsage } = {};
  let drain: (() => void) | null = null;
  const io = agentIo({
    ...setup,
    trace: (event) => {
      const type = event.type === "settled" ? `settled ${event.outcome}` : event.type;
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
