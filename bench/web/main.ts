/**
 * Web studio benchmark: a 300-node, 400-edge canvas in headless Chromium against the real edge
 * and room server. Measures per-frame main-thread cost (the CPU time of each frame's task:
 * input + rAF + style + layout + paint + layerize, from a Chrome trace; see frames.ts) while
 * panning, dragging one node and dragging all 300, with the frames' wall time and the other
 * main-thread tasks between frames as detail figures; time to first interactive
 * canvas (navigation → every node drawn → a click selects a node), and the production bundle
 * (gzipped JS). Writes bench/results/web.json.
 *
 * Usage: deno run -A bench/web/main.ts [--quick]
 */
import type { Page } from "playwright-core";
import { gzippedJsBytes } from "../../web/build.ts";
import { startStudio } from "../../test/e2e/studio.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import { bigGraph } from "./big_graph.ts";
import { pointerDrag, recordFrames } from "./frames.ts";
import type { FrameCosts } from "./trace.ts";

const NODES = 300;
const EDGES = 400;
const quick = Deno.args.includes("--quick");
const MOVES = quick ? 60 : 240;
const LOADS = quick ? 2 : 5;

await using studio = await startStudio();
const user = await studio.signUp("Bench");
const projectId = await studio.createProject(user, "Bench 300");
await studio.saveGraph(projectId, bigGraph(NODES, EDGES), user);
const path = `/projects/${projectId}`;

/** Navigation → all nodes drawn → a click on one is handled (it shows as selected). */
async function firstInteractive(page: Page): Promise<{ drawn: number; interactive: number }> {
  const t0 = performance.now();
  await page.goto(`${studio.url}${path}`);
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid^=node-]").length >= n,
    NODES,
    { polling: "raf", timeout: 30_000 },
  );
  const drawn = performance.now() - t0;
  const title = page.getByTestId("node-n0").getByTestId("node-title");
  await title.click();
  await page.locator('[data-testid="node-n0"][aria-selected="true"]').waitFor();
  return { drawn, interactive: performance.now() - t0 };
}

const page = await studio.open(user, "/");
const loads = [];
for (let i = 0; i < LOADS; i++) loads.push(await firstInteractive(page));
// The first load also compiles the bundle's code; later ones hit the HTTP cache like a revisit.
const drawn = summarize(loads.map((l) => l.drawn));
const interactive = summarize(loads.map((l) => l.interactive));

await page.getByTestId("connection-state").and(page.locator("[data-state=live]")).waitFor();
const canvas = (await page.getByTestId("canvas").boundingBox())!;
const titleBox = async (id: string) => {
  const box = (await page.getByTestId(`node-${id}`).getByTestId("node-title").boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

/** Frame costs of a drag from `from` (the press and release are not recorded). */
async function dragFrames(from: { x: number; y: number }): Promise<FrameCosts> {
  let costs: FrameCosts | null = null;
  await pointerDrag(page, from, { dx: 3, dy: 2 }, MOVES, async (moves) => {
    costs = await recordFrames(page, moves);
  });
  return costs!;
}

// Pan: Space + drag, from the middle of the canvas.
await page.keyboard.down("Space");
const pan = await dragFrames({ x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 });
await page.keyboard.up("Space");

// One node: press its title (selects it) and drag.
await page.keyboard.press("Escape");
const one = await dragFrames(await titleBox("n21"));

// Everything: Ctrl+A, then drag by one node's title.
await page.getByTestId("canvas").focus();
await page.keyboard.press("Control+a");
const all = await dragFrames(await titleBox("n42"));
await studio.screenshot(page, "bench-web-after-drag-all");

const bundle = await gzippedJsBytes(new URL("../../web/dist/", import.meta.url));
const gestures = { pan, one, all };
const s = {
  pan: summarize(pan.cpu),
  one: summarize(one.cpu),
  all: summarize(all.cpu),
};
const framesP95 = Math.max(s.pan.p95, s.one.p95, s.all.p95);

console.log(`web: ${NODES} nodes, ${EDGES} edges, headless Chromium`);
console.log(
  "frame ms (p50/p95)  frames   main-thread CPU    wall            other tasks     raster",
);
const pair = (v: number[]) => {
  const x = summarize(v);
  return `${x.p50.toFixed(1).padStart(6)} ${x.p95.toFixed(1).padStart(6)}   `;
};
for (const [name, f] of Object.entries(gestures)) {
  console.log(
    `${name.padEnd(19)} ${String(f.cpu.length).padStart(6)}   ${pair(f.cpu)}${pair(f.wall)}${
      pair(f.between)
    }${pair(f.raster)}`,
  );
}
console.log(`nodes drawn after navigation: p50 ${drawn.p50.toFixed(0)} ms (${LOADS} loads)`);
console.log(
  `first interactive: p50 ${interactive.p50.toFixed(0)} ms, max ${interactive.max.toFixed(0)} ms`,
);
console.log(`bundle: ${(bundle / 1024).toFixed(1)} kB gzipped JS`);

if (!quick) {
  const file = await writeResults("web", {
    "web.frame_p95_ms": framesP95,
    "web.frame_p50_ms": Math.max(s.pan.p50, s.one.p50, s.all.p50),
    "web.pan_frame_p50_ms": s.pan.p50,
    "web.pan_frame_p95_ms": s.pan.p95,
    "web.drag_one_frame_p50_ms": s.one.p50,
    "web.drag_one_frame_p95_ms": s.one.p95,
    "web.drag_all_frame_p50_ms": s.all.p50,
    "web.drag_all_frame_p95_ms": s.all.p95,
    "web.pan_frame_wall_p95_ms": summarize(pan.wall).p95,
    "web.drag_one_frame_wall_p95_ms": summarize(one.wall).p95,
    "web.drag_all_frame_wall_p95_ms": summarize(all.wall).p95,
    "web.pan_other_tasks_p95_ms": summarize(pan.between).p95,
    "web.drag_one_other_tasks_p95_ms": summarize(one.between).p95,
    "web.drag_all_other_tasks_p95_ms": summarize(all.between).p95,
    "web.nodes_drawn_ms": drawn.p50,
    "web.first_interactive_ms": interactive.p50,
    "web.bundle_gz_kb": Math.round(bundle / 102.4) / 10,
  });
  console.log(`wrote ${file}`);
}
