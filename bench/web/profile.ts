/**
 * Where a frame's time goes on the benchmark canvas (300 nodes, 400 edges): traces pan, drag
 * one and drag all with Chrome tracing, prints per-frame costs and the main thread's self time
 * by event, and saves each trace (open it in DevTools' Performance panel) and, with --js, a
 * V8 CPU profile of the gesture under test-output/bench-web/.
 *
 * Usage: deno run -A bench/web/profile.ts [--js] [--invalidations] [--near] [--moves N]
 */
import { startStudio } from "../../test/e2e/studio.ts";
import { summarize } from "../lib/stats.ts";
import { bigGraph } from "./big_graph.ts";
import { pointerDrag } from "./frames.ts";
import { breakdown, CATEGORIES, frameCosts, startTrace } from "./trace.ts";

const OUT = new URL("../../test-output/bench-web/", import.meta.url).pathname;
const js = Deno.args.includes("--js");
/** Also record what invalidated style, layout and paint (heavier tracing). */
const invalidations = Deno.args.includes("--invalidations");
/** At 100 % zoom instead of fitted (13 %): full cards, most of them off screen. */
const near = Deno.args.includes("--near");
const movesAt = Deno.args.indexOf("--moves");
const MOVES = movesAt >= 0 ? Number(Deno.args[movesAt + 1]) : 80;
await Deno.mkdir(OUT, { recursive: true });

await using studio = await startStudio();
const user = await studio.signUp("Bench");
const projectId = await studio.createProject(user, "Bench 300");
await studio.saveGraph(projectId, bigGraph(300, 400), user);
const page = await studio.open(user, `/projects/${projectId}`);
await page.waitForFunction(() => document.querySelectorAll("[data-testid^=node-]").length >= 300);
await page.getByTestId("connection-state").and(page.locator("[data-state=live]")).waitFor();
const canvas = (await page.getByTestId("canvas").boundingBox())!;
const titleBox = async (id: string) => {
  const box = (await page.getByTestId(`node-${id}`).getByTestId("node-title").boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

async function profile(name: string, from: { x: number; y: number }) {
  await pointerDrag(page, from, { dx: 3, dy: 2 }, MOVES, async (moves) => {
    const trace = await startTrace(
      page,
      invalidations
        ? [...CATEGORIES, "disabled-by-default-devtools.timeline.invalidationTracking"]
        : CATEGORIES,
    );
    if (js) {
      await trace.session.send("Profiler.enable");
      await trace.session.send("Profiler.setSamplingInterval", { interval: 200 });
      await trace.session.send("Profiler.start");
    }
    await moves();
    if (js) {
      const { profile } = await trace.session.send("Profiler.stop");
      await Deno.writeTextFile(`${OUT}${name}.cpuprofile`, JSON.stringify(profile));
    }
    const events = await trace.stop();
    await Deno.writeTextFile(`${OUT}${name}.trace.json`, JSON.stringify({ traceEvents: events }));
    const f = frameCosts(events);
    console.log(`\n== ${name}: ${f.cpu.length} frames`);
    for (const [k, v] of Object.entries(f) as [string, number[]][]) {
      const s = summarize(v);
      console.log(
        `  ${k.padEnd(8)} p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${
          s.p95.toFixed(2).padStart(7)
        }  max ${s.max.toFixed(2).padStart(7)}  sum ${v.reduce((a, b) => a + b, 0).toFixed(0)}`,
      );
    }
    console.log("  main thread self time (CPU ms, count):");
    for (const [k, ms, n] of breakdown(events)) {
      console.log(`    ${ms.toFixed(1).padStart(8)} ${String(n).padStart(6)}  ${k}`);
    }
  });
}

// A load of the page, to first interactive (as main.ts measures it).
{
  const trace = await startTrace(page, CATEGORIES);
  const t0 = performance.now();
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid^=node-]").length >= 300);
  await page.getByTestId("node-n0").getByTestId("node-title").click();
  await page.locator('[data-testid="node-n0"][aria-selected="true"]').waitFor();
  const ms = performance.now() - t0;
  const events = await trace.stop();
  await Deno.writeTextFile(`${OUT}load.trace.json`, JSON.stringify({ traceEvents: events }));
  console.log(`\n== load: first interactive after ${ms.toFixed(0)} ms (traced)`);
  console.log("  main thread self time (CPU ms, count):");
  for (const [k, ms, n] of breakdown(events)) {
    console.log(`    ${ms.toFixed(1).padStart(8)} ${String(n).padStart(6)}  ${k}`);
  }
  await page.getByTestId("connection-state").and(page.locator("[data-state=live]")).waitFor();
  await page.keyboard.press("Escape");
}

if (near) {
  // 100 %, centred on the graph's middle: full cards, a dozen or so on screen.
  await page.getByTestId("canvas").focus();
  await page.keyboard.press("Control+0");
  await page.waitForTimeout(800);
}

/** A node whose title is well inside the canvas (at 100 % most are off screen). */
async function visibleNode(skip: string[] = []): Promise<string> {
  const id = await page.evaluate(([c, skip]) => {
    for (const el of document.querySelectorAll<HTMLElement>("[data-testid^=node-n]")) {
      const id = el.dataset.testid!.slice(5);
      const r = el.querySelector("[data-testid=node-title]")!.getBoundingClientRect();
      const x = r.x + r.width / 2, y = r.y + r.height / 2;
      if (skip.includes(id)) continue;
      if (x > c.x + 150 && x < c.x + c.width - 250 && y > c.y + 100 && y < c.y + c.height - 250) {
        return id;
      }
    }
    return null;
  }, [canvas, skip] as const);
  if (!id) throw new Error("no node on screen");
  return id;
}

await page.keyboard.down("Space");
await profile("pan", { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 });
await page.keyboard.up("Space");
await page.keyboard.press("Escape");
await profile("one", await titleBox(near ? await visibleNode() : "n21"));
await page.getByTestId("canvas").focus();
await page.keyboard.press("Control+a");
await profile("all", await titleBox(near ? await visibleNode() : "n42"));
