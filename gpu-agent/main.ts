/**
 * The agent's entry point: `deno run -A gpu-agent/main.ts <command>`. Everything lives in
 * cli/run_cli.ts; this file only binds it to the process.
 */
import { runCli } from "./cli/run_cli.ts";

if (import.meta.main) {
  // `deno task agent -- run` hands the separator through; it means nothing to us.
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const code = await runCli(args, {
    env: Deno.env.toObject(),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
  Deno.exit(code);
}
