/**
 * Starts PartyKit's local dev server (`partykit dev`, workerd underneath) for tests, benchmarks
 * and `deno task dev`, and stops its whole process tree. Runs offline: no hot keys, no
 * request.cf lookup, no metrics.
 *
 * @example
 * ```ts
 * const server = await startPartyKit({ vars: { ROOM_SECRET: "s".repeat(32), EDGE_URL: "http://127.0.0.1:8787" }, persistDir: tmp });
 * new WebSocket(`${server.url.replace("http", "ws")}/parties/main/p1?ticket=...`);
 * await server.stop();
 * ```
 */
const ROOT = new URL("../../", import.meta.url);

export interface PartyKitOptions {
  /** Defaults to a free port. */
  port?: number;
  vars: Record<string, string>;
  /** Room storage lives here; reuse it across starts to test restarts. */
  persistDir: string;
  /** partykit.json to run, relative to the repository root. */
  config?: string;
  /** How long to wait for the server to answer. */
  readyTimeoutMs?: number;
  /** Pass the server's output through (for `deno task dev`); otherwise kept for error reports. */
  inheritOutput?: boolean;
}

export interface PartyKitServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The process id of the server's process group leader. */
  pid: number;
  /** What the server printed (when not inherited). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export async function startPartyKit(options: PartyKitOptions): Promise<PartyKitServer> {
  const port = options.port ?? freePort();
  const bin = new URL("node_modules/partykit/dist/bin.mjs", ROOT).pathname;
  const args = [
    "run",
    "-A",
    bin,
    "dev",
    "--no-hotkeys",
    "--disable-request-cf-fetch",
    "--port",
    String(port),
    "--persist",
    options.persistDir,
    "--config",
    options.config ?? "partykit.json",
  ];
  for (const [key, value] of Object.entries(options.vars)) args.push("--var", `${key}=${value}`);
  const inherit = options.inheritOutput ?? false;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT.pathname,
    env: { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", DO_NOT_TRACK: "1" },
    stdin: "null",
    stdout: inherit ? "inherit" : "piped",
    stderr: inherit ? "inherit" : "piped",
    detached: true, // its own process group, so stop() reaches workerd too
  }).spawn();
  let output = "";
  const drains = inherit ? [] : [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch { /* already gone */ }
    const killer = setTimeout(() => {
      try {
        Deno.kill(-child.pid, "SIGKILL");
      } catch { /* already gone */ }
    }, 5000);
    await child.status;
    clearTimeout(killer);
    await Promise.all(drains);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let exited = false;
  child.status.then(() => exited = true);
  while (true) {
    if (exited) {
      await stop();
      throw new Error(`partykit dev exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`partykit dev did not answer on ${url} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, pid: child.pid, output: () => output, stop };
}
