/**
 * `deno task bench [area ...]`: runs each benchmark area in its own process, one after another
 * (they would skew each other's figures if run together), and writes bench/results/<area>.json.
 * Areas: api, jobs, fleet, agent, backends, docker, rooms, web, security, cut, review. With no areas, all of
 * them. Arguments that start with `--` (and the value after `--runs`) go to every area named:
 * `bench cut --runs 5`.
 */
const AREAS = [
  "api",
  "jobs",
  "fleet",
  "agent",
  "backends",
  "docker",
  "rooms",
  "web",
  "security",
  "cut",
  "review",
] as const;

const flags = Deno.args.filter((a, i) => a.startsWith("--") || Deno.args[i - 1] === "--runs");
const named = Deno.args.filter((a) => !flags.includes(a));
const wanted = named.length > 0 ? named : [...AREAS];
const unknown = wanted.filter((a) => !(AREAS as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark area: ${unknown.join(", ")} (choose from ${AREAS.join(", ")})`);
  Deno.exit(2);
}

let failed = 0;
for (const area of wanted) {
  console.log(`\n=== ${area} ===`);
  const main = new URL(`./${area}/main.ts`, import.meta.url).pathname;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...flags],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`${area}: exited with ${code}`);
    failed++;
  }
}
Deno.exit(failed > 0 ? 1 : 0);
