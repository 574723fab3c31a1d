/**
 * `deno task bench security`: re-runs the edge's bad-input and authorization tests and counts
 * what they sent (every request their test apps served, from the request log), how many answers
 * were server errors, and how many authorization checks failed. Writes bench/results/security.json.
 * Not a speed figure: the counts show the probe's reach and that it found nothing.
 */
import { writeResults } from "../lib/results.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const tally = await Deno.makeTempFile({ prefix: "md-security-tally-" });

async function runTests(files: string[]): Promise<{ passed: number; failed: number }> {
  const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check=remote", ...files],
    cwd: ROOT,
    env: { MD_REQUEST_TALLY: tally, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  const summary = /(ok|FAILED) \| (\d+) passed(?: \([^)]*\))? \| (\d+) failed/.exec(text);
  if (!summary) throw new Error(`no test summary in the output:\n${text.slice(-3000)}`);
  return { passed: Number(summary[2]), failed: Number(summary[3]) };
}

try {
  const badInput = await runTests(["edge/bad_input_test.ts"]);
  const authz = await runTests([
    "edge/authorization_matrix_test.ts",
    "edge/revocation_across_threads_test.ts",
  ]);
  const requests = (await Deno.readTextFile(tally)).split("\n").filter(Boolean)
    .map((line) => JSON.parse(line) as { method: string; path: string; status: number });
  // A route is its method and path with ids, numbers and tokens replaced: what a router matches.
  const routeOf = (r: { method: string; path: string }) =>
    `${r.method} ${
      r.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id")
        .replace(/\/\d+(?=\/|$)/g, "/:n")
        // Share-link and other tokens: long random segments.
        .replace(/\/[A-Za-z0-9_-]{20,}(?=\/|$)/g, "/:token")
    }`;
  const routes = new Set(requests.filter((r) => r.path.startsWith("/api/")).map(routeOf));
  const figures = {
    "security.routes_probed": routes.size,
    "security.cases": requests.length,
    "security.server_errors": requests.filter((r) => r.status >= 500).length,
    "security.authz_leaks": authz.failed,
    "security.bad_input_tests_failed": badInput.failed,
  };
  console.log(figures);
  console.log(`wrote ${await writeResults("security", figures)}`);
  if (figures["security.server_errors"] > 0 || authz.failed > 0 || badInput.failed > 0) {
    Deno.exit(1);
  }
} finally {
  await Deno.remove(tally);
}
