/**
 * `deno task bench cut`: the cut's figures into bench/results/cut.json: OTIO export (otio.ts) and
 * the room's latency of a trim with 50 clients (edit.ts). The render figures (`cut.render_*`)
 * join here from the render work.
 */
import { writeResults } from "../lib/results.ts";
import { editFigures } from "./edit.ts";
import { otioFigures } from "./otio.ts";

const figures = { ...otioFigures(), ...await editFigures() };
console.log(`wrote ${await writeResults("cut", figures)}`);
