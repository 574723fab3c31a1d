/**
 * One autoscaled agent as its own process, for test/agent/autoscale_test.ts: what a container
 * of a pool's deployment runs, `run --token <reusable pool token> --exit-when-idle N` (enrolls
 * itself on first start), with this machine's detection and backends replaced as agent_io.ts
 * does (one RTX 4090, the fake ComfyUI). SIGTERM drains it, as a scaler stopping it does.
 *
 * `deno run -A test/agent/fleet_agent_process.ts '{"configDir":…,"workDir":…,"comfyuiUrl":…,
 *  "serverUrl":…,"token":…,"exitWhenIdleS":N}'`; exits with the agent's exit code.
 */
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { processSignals } from "../../gpu-agent/cli/run.ts";
import { consoleLogger } from "../../gpu-agent/log/logger.ts";
import { ProgressRenderer } from "../../gpu-agent/progress/renderer.ts";
import { agentIo, type AgentSetup } from "./agent_io.ts";

if (import.meta.main) {
  const setup = JSON.parse(Deno.args[0] ?? "{}") as AgentSetup & {
    serverUrl: string;
    token: string;
    exitWhenIdleS: number;
  };
  const encoder = new TextEncoder();
  const io = agentIo(setup, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    logger: consoleLogger,
    renderer: new ProgressRenderer({
      isTty: false,
      write: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    }),
    onSignal: processSignals,
    exitNow: (code) => Deno.exit(code),
  });
  const code = await runCli(
    ["run", "--token", setup.token, "--exit-when-idle", String(setup.exitWhenIdleS)],
    { ...io, env: { ...io.env, MD_SERVER_URL: setup.serverUrl } },
  );
  Deno.exit(code);
}
