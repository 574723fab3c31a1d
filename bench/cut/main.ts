/**
 * `deno task bench cut [--runs N] [--compare] [--no-write]`: the cut's figures into
 * bench/results/cut.json: OTIO export (otio.ts), the room's latency of a trim with 50 clients
 * (edit.ts), then the render (render.ts, in a process of its own: it starts its own edge and
 * agent and measures their memory). `--compare` runs only the render's plan comparison.
 */
import { mergeResults } from "../lib/results.ts";
import { editFigures } from "./edit.ts";
import { otioFigures } from "./otio.ts";

if (!Deno.args.includes("--compare")) {
  const figures = { ...otioFigures(), ...await editFigures() };
  if (!Deno.args.includes("--no-write")) {
    console.log(`wrote ${await mergeResults("cut", figures)}`);
  }
}
const render = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL("./render.ts", import.meta.url).pathname, ...Deno.args],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!render.success) Deno.exit(render.code || 1);
