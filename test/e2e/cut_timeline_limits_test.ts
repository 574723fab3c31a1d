/**
 * What editors met on the cut's timeline (issue 15's leftovers), with Ana (owner) on a real agent
 * with ffmpeg: a trim or an extension stops at the take's real end (ffprobe's facts, at the cut's
 * rate) and says why; an audio clip dragged near a clip's edge or the playhead snaps to it, as
 * trims do; the timeline's bar stays on one line from 1,280 px wide up; a dissolve shows both
 * takes mixed, in the timeline's preview and on the review page, before any render.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import {
  anaWithEditorBen,
  clipOrder,
  colourOnScreen,
  dragBy,
  generateTake,
  graphOf,
  live,
  node,
  shotNode,
  takesOf,
} from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

Deno.test("the cut timeline: trims stop at the take's end, audio snaps, the bar fits", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-limits-" });
  const shot = (id: string, code: string, x: number) => shotNode(id, code, x, 32);
  const { ana, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      shot("wide", "SHOT-010", 80),
      shot("door", "SHOT-020", 420),
      node("rain", "audio.generate", 760, 80, { prompt: "rain", seconds: 3 }),
    ]),
  );
  const agent = await studio.startAgent(ana);
  for (const [nodeId, c] of [["wide", "red"], ["door", "green"]]) {
    const file = await makeClip(`${dir}/${c}.mp4`, {
      source: `color=c=${c}`,
      rate: 16,
      seconds: 2,
    });
    studio.fake.behaviour.outputBytes = () => Deno.readFileSync(file);
    await generateTake(studio, ana, projectId, nodeId!);
  }
  studio.fake.behaviour.outputBytes = undefined;
  await generateTake(studio, ana, projectId, "rain", "audio.generate");
  await agent.stop();
  assert.equal((await takesOf(studio, ana, projectId, "wide")).length, 1);

  const a = await studio.open(ana, `/projects/${projectId}`);
  await live(a);
  const clipOf = (nodeId: string) => a.locator(`.video-lane [data-node="${nodeId}"]`);
  const rain = a.locator(".audio-lane .cut-clip").first();
  const attr = async (el: ReturnType<Page["locator"]>, name: string) =>
    Number(await el.getAttribute(name));
  await a.getByTestId("new-cut").click();
  await until("two clips", async () => (await clipOrder(a)).length === 2);

  await t.step("a trim or extension stops at the take's real end, and says why", async () => {
    // Two pixels a frame. The wide clip's end (held above the transition handle beside it)
    // dragged 24 frames in: 24 frames long.
    let box = (await clipOf("wide").boundingBox())!;
    await dragBy(a, { x: box.x + box.width - 3, y: box.y + 8 }, -48);
    await until(
      "wide trimmed to 24",
      async () => (await attr(clipOf("wide"), "data-frames")) === 24,
    );
    // Then 50 frames out: the take holds 48, so it stops there and the hint says why.
    box = (await clipOf("wide").boundingBox())!;
    await a.mouse.move(box.x + box.width - 3, box.y + 8);
    await a.mouse.down();
    for (let dx = 10; dx <= 100; dx += 10) {
      await a.mouse.move(box.x + box.width - 3 + dx, box.y + 8);
    }
    // While held past the end: drawn at the take's end, with the reason.
    assert.equal(await attr(clipOf("wide"), "data-frames"), 48);
    assert.match(await a.getByTestId("trim-hint").innerText(), /take is 48 frames long/);
    await studio.screenshot(a, "cut-limits-trim-held-at-take-end");
    await a.mouse.up();
    await until("the trim landed", async () => (await attr(clipOf("wide"), "data-frames")) === 48);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await attr(clipOf("wide"), "data-frames"), 48, "not past the take");
    // The clip's details say how long its take is.
    await clipOf("wide").click();
    assert.match(await a.getByTestId("clip-trim").innerText(), /48 frames of a 48-frame take/);
  });

  await t.step("an audio clip snaps to a clip's edge and to the playhead", async () => {
    await a.getByTestId("clip-node").selectOption("rain");
    await a.getByTestId("add-clip").click();
    await until("an audio clip", async () => (await rain.count()) === 1);
    assert.equal(await attr(rain, "data-start"), 0);
    // 45 frames to the right: within 4 frames of the wide clip's end (48), it starts there.
    let box = (await rain.boundingBox())!;
    await dragBy(a, { x: box.x + 40, y: box.y + box.height / 2 }, 90);
    await until("rain at 48", async () => (await attr(rain, "data-start")) === 48);
    // The playhead at frame 70; the rain dragged to start at 73 lands on it.
    const ruler = (await a.getByTestId("ruler").boundingBox())!;
    const lanes = (await a.locator(".lanes").boundingBox())!;
    await a.mouse.click(lanes.x + 140 + 1, ruler.y + 5);
    await until(
      "playhead at 70",
      async () => (await a.getByTestId("cut-timecode").innerText()).startsWith("00:00:02:22"),
    );
    box = (await rain.boundingBox())!;
    await dragBy(a, { x: box.x + 40, y: box.y + box.height / 2 }, 50);
    await until("rain at the playhead", async () => (await attr(rain, "data-start")) === 70);
    // Its tail dragged near the door clip's end (96 frames): 96 - 70 = 26 frames long.
    box = (await rain.boundingBox())!;
    const end = box.x + box.width - 3;
    await dragBy(a, { x: end, y: box.y + box.height / 2 }, lanes.x + 96 * 2 + 5 - end);
    await until("rain ends at 96", async () => (await attr(rain, "data-frames")) === 26);
    await studio.screenshot(a, "cut-limits-audio-snapped");
  });

  await t.step("the timeline's bar stays on one line at 1,400, 1,280 and 1,920 px", async () => {
    for (const width of [1400, 1280, 1920]) {
      await a.setViewportSize({ width, height: 860 });
      await a.waitForTimeout(200);
      // On one line: every control's top is above the shortest control's bottom.
      const rows = await a.locator(".timeline-bar > *").evaluateAll((els) => {
        const boxes = els.map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
        const tops = boxes.map((r) => r.top);
        const spread = Math.max(...tops) - Math.min(...tops);
        return spread < Math.min(...boxes.map((r) => r.height)) ? 1 : 2;
      });
      await studio.screenshot(a, `cut-limits-bar-${width}`);
      assert.equal(rows, 1, `the bar wraps at ${width} px`);
    }
    // The exports moved into a menu: it opens, offers both files, and closes on a press elsewhere.
    await a.getByTestId("cut-export").locator("summary").click();
    assert.match(
      await a.getByTestId("export-otio").getAttribute("href") ?? "",
      /\/cuts\/[^/]+\/otio\?relative=1$/,
    );
    assert.ok(await a.getByTestId("export-edl").isVisible());
    await studio.screenshot(a, "cut-limits-export-menu");
    await a.getByTestId("cut-timecode").click();
    await until("the menu closed", async () => !(await a.getByTestId("export-edl").isVisible()));
  });

  await t.step("a dissolve mixes the two takes in the preview and on the review page", async () => {
    await a.setViewportSize({ width: 1400, height: 860 });
    // wide (red, frames 0-47) into door (green): a 12-frame dissolve over film frames 36-47.
    await a.locator(".transition-handle").first().click();
    await until(
      "a dissolve",
      async () =>
        /\bon\b/.test(await a.locator(".transition-handle").first().getAttribute("class") ?? ""),
    );
    // Its middle frame, 42: about half of each take.
    const lanes = (await a.locator(".lanes").boundingBox())!;
    const ruler = (await a.getByTestId("ruler").boundingBox())!;
    await a.mouse.click(lanes.x + 42 * 2 + 1, ruler.y + 5);
    await until(
      "playhead at 42",
      async () => (await a.getByTestId("cut-timecode").innerText()).startsWith("00:00:01:18"),
    );
    const mixed = async (page: Page, testId: string) => {
      const [r, g] = await colourOnScreen(page, testId);
      return r! > 50 && g! > 30;
    };
    await until("red and green mixed in the preview", () => mixed(a, "cut-picture"));
    await studio.screenshot(a, "cut-limits-dissolve-preview");
    // The review page plays the same cut from its takes, the dissolve mixed the same way.
    const cutId = await a.getByTestId("cut-select").inputValue();
    await a.goto(`${studio.url}/review/${projectId}/${cutId}`);
    await a.getByTestId("cut-review-page").waitFor();
    await until(
      "the film's length",
      async () => (await a.getByTestId("frame-readout").innerText()).includes("/ 96"),
    );
    await a.getByTestId("scrub").fill("42");
    await until("red and green mixed on the review page", () => mixed(a, "stage-a-cell"));
    // A rectangle drawn there for a comment shows over both pictures (its edge is orange).
    await a.getByTestId("draw-shape").click();
    const stage = (await a.getByTestId("stage-a").boundingBox())!;
    await a.mouse.move(stage.x + stage.width * 0.3, stage.y + stage.height * 0.3);
    await a.mouse.down();
    await a.mouse.move(stage.x + stage.width * 0.6, stage.y + stage.height * 0.5, { steps: 5 });
    await a.mouse.up();
    await a.getByTestId("shape-draft").waitFor();
    // Its left edge, read off the picture's cell where the two videos are stacked.
    const shape = (await a.getByTestId("shape-draft").boundingBox())!;
    const cell = (await a.getByTestId("stage-a-cell").boundingBox())!;
    const [red, , blue] = await colourOnScreen(a, "stage-a-cell", {
      x: (shape.x + 1 - cell.x) / cell.width,
      y: (shape.y + shape.height / 2 - cell.y) / cell.height,
    });
    // #ff5a36 as drawn, not dimmed under the incoming take.
    assert.ok(
      red! > 200 && blue! > 40,
      `the rectangle's edge is under the pictures: ${red}, ${blue}`,
    );
    await studio.screenshot(a, "cut-limits-dissolve-review");
    // Past the dissolve: the green take alone.
    await a.getByTestId("scrub").fill("60");
    await until("green alone", async () => {
      const [r, g] = await colourOnScreen(a, "stage-a-cell");
      return r! < 30 && g! > 60;
    });
  });
});
