/**
 * The commands the studio shows for running the GPU agent on a machine. They need only Node.js
 * (18 or newer) with npm, in a checkout of the studio's repository: `npx` fetches the pinned
 * Deno and `deno task agent` runs gpu-agent/main.ts. The edge's enrollment answer and the Agents
 * page both build them here, so the command a person copies is the one the tests run. No imports:
 * the studio's first page loads this.
 *
 * @example
 * ```ts
 * enrollCommands("https://studio.example", "tok", "big rig").enroll;
 * // "npx -y deno@2.9.6 task agent -- enroll --server https://studio.example --token tok --name 'big rig'"
 * ```
 */

/** Runs the agent with nothing but Node.js and npm installed. */
export const AGENT_LAUNCHER = "npx -y deno@2.9.6 task agent --";
/** The same, where Deno is installed. */
export const AGENT_LAUNCHER_WITH_DENO = "deno task agent";

/** Single-quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** Enroll (with either launcher), then run: what a person types on the GPU machine. */
export function enrollCommands(
  origin: string,
  token: string,
  name = "",
): { enroll: string; enrollWithDeno: string; run: string } {
  const args = ["enroll", "--server", origin.replace(/\/+$/, ""), "--token", token];
  if (name.trim()) args.push("--name", name.trim());
  const quoted = args.map(shellQuote).join(" ");
  return {
    enroll: `${AGENT_LAUNCHER} ${quoted}`,
    enrollWithDeno: `${AGENT_LAUNCHER_WITH_DENO} ${quoted}`,
    run: `${AGENT_LAUNCHER} run`,
  };
}

/**
 * Where a pool's autoscaler reads how many agents it wants, and a command that reads it with a
 * scaling token (what the Pools page shows once, beside the token; deploy/README.md puts the
 * same URL and token in KEDA's ScaledObject).
 */
export function scalingUse(origin: string, poolId: string, token: string) {
  const url = `${origin.replace(/\/+$/, "")}/api/pools/${poolId}/scaling`;
  return { url, command: `curl -H ${shellQuote(`Authorization: Bearer ${token}`)} ${url}` };
}
