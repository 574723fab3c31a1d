/**
 * The agent in a process of its own, as a user runs it (`run`, its own backends), for the test
 * that kills it mid-job: `deno run -A test/docker/agent_child.ts '<AgentSetup JSON>'`.
 */
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { processSignals } from "../../gpu-agent/cli/run.ts";
import { consoleLogger } from "../../gpu-agent/log/logger.ts";
import { agentIo, type AgentSetup } from "../agent/agent_io.ts";

const setup = JSON.parse(Deno.args[0] ?? "{}") as AgentSetup;
const io = agentIo({ ...setup, ownBackends: true }, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  logger: consoleLogger,
  renderer: null,
  onSignal: processSignals,
  exitNow: (code) => Deno.exit(code),
});
Deno.exit(await runCli(["run"], io));
