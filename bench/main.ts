/**
 * `deno task bench [area ...]`: runs each benchmark area in its own process, one after another
 * (they would skew each other's figures if run together), and writes bench/results/<area>.json.
 * Areas: api, jobs, agent, backends, rooms, web, security, review. With no arguments, all of them.
 */
const AREAS = ["api", "jobs", "agent", "backends", "rooms", "web", "security", "review"] as const;

const wanted = Deno.args.length > 0 ? Deno.args : [...AREAS];
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
    args: ["run", "-A", main],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`${area}: exited with ${code}`);
    failed++;
  }
}
Deno.exit(failed > 0 ? 1 : 0);
