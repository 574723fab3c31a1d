/**
 * The agent alone in its own process (bench/agent/agent_process.ts), as a user runs it, for the
 * benchmarks: started with its setup, reporting `ready` once connected and, after its jobs
 * settled, its trace and CPU time.
 */
import type { AgentSetup } from "../../test/agent/agent_io.ts";
import type { BenchWan2gp } from "../agent/agent_process.ts";

export interface AgentReport {
  trace: [type: string, jobId: string, at: number][];
  /** CPU time of the agent's process from the first claim to the last job settled. */
  cpuMs: number;
  /** Warning and error lines the agent logged. */
  warnings: string[];
}

/**
 * Runs the agent in its own process until `jobs` jobs settled; returns what it reported.
 * `onSpawn` gets the process id (to watch its memory).
 */
export async function runAgentProcess(
  setup: AgentSetup & { jobs: number; wan2gp?: BenchWan2gp },
  onReady: () => void,
  signal: AbortSignal,
  onSpawn?: (pid: number) => void,
): Promise<AgentReport> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../agent/agent_process.ts", import.meta.url).pathname,
      JSON.stringify(setup),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  onSpawn?.(child.pid);
  // Killed outright when the benchmark fails or gives up on it: a first SIGTERM would only
  // make the agent finish its job, against an edge that is gone.
  signal.addEventListener("abort", () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
  }, { once: true });
  const logTail: string[] = [];
  const warnings: string[] = [];
  const logs = (async () => {
    let partial = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (partial + text).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        logTail.push(line);
        if (logTail.length > 40) logTail.shift();
        if (/^\S+ (warn|error) /.test(line)) warnings.push(line);
      }
    }
  })();
  let report: Omit<AgentReport, "warnings"> | null = null;
  let buffered = "";
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line === "ready") onReady();
      else if (line.startsWith("{")) report = JSON.parse(line);
    }
  }
  const { code } = await child.status;
  await logs;
  if (code !== 0 || !report) {
    throw new Error(`the agent exited with ${code}; its last log lines:\n${logTail.join("\n")}`);
  }
  return { ...report, warnings };
}
