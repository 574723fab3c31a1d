/**
 * Load from wrk: 64 keep-alive connections driven by a C load generator. On this 2-core
 * machine the generator shares the CPU with the edge it measures; a JavaScript generator took
 * a third of the machine for itself, so the figures were as much its cost as the edge's.
 * wrk comes from Debian (`apt-get install wrk`).
 */

/** One request shape; `{n}` in the path or body becomes a number no other request gets. */
export interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx/3xx answers, timeouts and socket errors. */
  errors: number;
}

export async function wrkAvailable(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return true;
  } catch {
    return false;
  }
}

/** Sends `specs` round-robin over `connections` connections for `seconds`. */
export async function runWrk(
  baseUrl: string,
  specs: RequestSpec[],
  options: { connections: number; seconds: number },
): Promise<WrkResult> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(script, luaScript(specs));
    const { stdout, stderr, code } = await new Deno.Command("wrk", {
      args: [
        "-t1",
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        "--timeout",
        "5s",
        "-s",
        script,
        baseUrl,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout);
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (code !== 0 || !line) {
      throw new Error(`wrk failed (${code}): ${out}${new TextDecoder().decode(stderr)}`);
    }
    const r = JSON.parse(line);
    const ms = (us: number) => Math.round(us / 10) / 100;
    const seconds = r.duration_us / 1e6;
    return {
      requests: r.requests,
      seconds,
      rps: Math.round(r.requests / seconds),
      p50: ms(r.p50),
      p95: ms(r.p95),
      p99: ms(r.p99),
      errors: r.errors,
    };
  } finally {
    await Deno.remove(script);
  }
}

/** Long-bracket strings need no escaping; JSON bodies never contain `]==]`. */
function lua(text: string): string {
  if (text.includes("]==]")) throw new Error("request text contains ]==]");
  return `[==[${text}]==]`;
}

function luaScript(specs: RequestSpec[]): string {
  const entries = specs.map((s) => {
    const headers = Object.entries(s.headers).map(([k, v]) => `[ ${lua(k)} ] = ${lua(v)}`);
    return `{ ${lua(s.method)}, ${lua(s.path)}, { ${headers.join(", ")} }, ${
      s.body === undefined ? "nil" : lua(s.body)
    } }`;
  });
  return `
local specs = { ${entries.join(",\n")} }
-- Numbers continue from the clock so no two runs against one database repeat one.
local n = ${Date.now() * 1000}
local i = 0
request = function()
  n = n + 1
  i = i + 1
  local s = specs[(i % #specs) + 1]
  local unique = string.format("%d", n)
  local body = s[4]
  if body then body = body:gsub("{n}", unique) end
  return wrk.format(s[1], (s[2]:gsub("{n}", unique)), s[3], body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status + e.connect + e.read + e.write + e.timeout))
end
`;
}
