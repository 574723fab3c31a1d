/**
 * The take viewer (issue 13, "takes people can look at"), with Ana (owner), Ben (editor) and
 * Cleo (a reviewer by link): a card's take opens large; , and . step exactly one frame (each
 * frame of the clip has its own brightness, read back from the picture); the scrub bar and full
 * screen work; two takes compare as an A/B wipe or side by side; the lineage is shown; "Select
 * this take" reaches everyone live and reviewers cannot; "Use these settings" puts a take's
 * parameters back on the node for everyone; a second node under the same shot numbers its takes
 * from take01; and on a phone the viewer is a full-screen sheet that plays.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import {
  anaWithEditorBen,
  generateTake,
  graphOf,
  live,
  node,
  reviewerByLink,
  takesOf,
} from "./helpers.ts";
import { cspViolations, startStudio, until } from "./studio.ts";

/**
 * Frame n of the clip has luma 16 + n × STEP (video range), so the picture says which frame is
 * shown: the browser turns that into red 1.164 × n × STEP.
 */
const STEP = 6;
const FPS = 16;

/** The grey level at the centre of the viewer's A picture: which frame it shows. */
function shownFrame(page: Page): Promise<number> {
  return page.getByTestId("stage-a").evaluate((v, step) => {
    const video = v as HTMLVideoElement;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext("2d")!;
    g.drawImage(video, 0, 0);
    const [r] = g.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
    return Math.round(r! / (1.164 * step));
  }, STEP);
}

/** Waits until the viewer's picture has settled on `frame` (a seek is asynchronous). */
async function showsFrame(page: Page, frame: number): Promise<void> {
  let seen = -1;
  await until(`frame ${frame} on screen`, async () => (seen = await shownFrame(page)) === frame)
    .catch(async (error) => {
      const readout = await page.getByTestId("frame-readout").innerText();
      throw new Error(`${error.message}: the picture shows ${seen}, the readout says ${readout}`);
    });
  assert.match(
    await page.getByTestId("frame-readout").innerText(),
    new RegExp(`^frame ${frame + 1} / 32 `),
  );
}

Deno.test("the take viewer: frames, compare, lineage, selects and settings, for everyone", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir();
  const clip = await makeClip(`${dir}/frames.mp4`, {
    source: "color=c=black",
    draw: `format=yuv444p,geq=lum=16+N*${STEP}:cb=128:cr=128,format=yuv420p`,
    rate: FPS,
    seconds: 2,
  });
  studio.fake.behaviour.outputBytes = () => Deno.readFileSync(clip);
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      node("hero", "shot.generate", 80, 80, { prompt: "a lighthouse at dusk", fps: FPS }),
      // Same scene, shot and version as "hero", as a duplicated node has.
      node("copy", "shot.generate", 520, 80, { prompt: "a lighthouse at dawn", fps: FPS }),
    ]),
  );
  const agent = await studio.startAgent(ana);
  for (const nodeId of ["hero", "hero", "copy"]) {
    await generateTake(studio, ana, projectId, nodeId);
  }
  await agent.stop();
  const [second, first] = await takesOf(studio, ana, projectId, "hero");

  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  const c = await reviewerByLink(studio, ana, projectId);
  await Promise.all([live(a), live(b)]);

  await t.step(
    "a card's take opens large; , and . step one frame; scrub; full screen",
    async () => {
      await a.getByTestId(`take-${second!.id}`).click();
      const viewer = a.getByTestId("take-viewer");
      await viewer.waitFor();
      assert.equal(await a.getByTestId("take-name").innerText(), "SHOT-010_v01_take02.mp4");
      const box = (await viewer.boundingBox())!;
      assert.ok(box.width >= 1400 && box.height >= 860, "the viewer fills the window");
      await until(
        "the video's length",
        async () => (await a.getByTestId("frame-readout").innerText()).includes("/ 32"),
      );
      await showsFrame(a, 0);
      for (let i = 0; i < 3; i++) await a.keyboard.press(".");
      await showsFrame(a, 3);
      await a.keyboard.press(",");
      await showsFrame(a, 2);
      await a.getByTestId("frame-forward").click();
      await showsFrame(a, 3);
      assert.match(await a.getByTestId("frame-readout").innerText(), /00:00:00:03 · 16 fps$/);
      await a.getByTestId("scrub").fill("20");
      await showsFrame(a, 20);
      await a.getByTestId("frame-back").click();
      await showsFrame(a, 19);
      await studio.screenshot(a, "take-viewer-frame-19");

      await a.getByTestId("fullscreen").click();
      await until("full screen", () => a.evaluate(() => document.fullscreenElement !== null));
      await a.keyboard.press("f");
      await until("back from full screen", () => a.evaluate(() => !document.fullscreenElement));
    },
  );

  await t.step("what the take is made of: tier, seed, template, timing, parameters", async () => {
    assert.equal(await a.getByTestId("take-tier").innerText(), "standard");
    assert.match(await a.getByTestId("take-seed").innerText(), /^\d+$/);
    assert.notEqual(await a.getByTestId("take-template").innerText(), "—");
    assert.match(await a.getByTestId("take-ran").innerText(), /\d s$/);
    assert.match(await a.getByTestId("take-params").innerText(), /Prompt\s+a lighthouse at dusk/);
    assert.match(await a.getByTestId("select-state").innerText(), /Selected.*newest take/);
  });

  await t.step("two takes compare as an A/B wipe and side by side", async () => {
    await a.getByTestId("compare-with").selectOption(first!.id);
    await a.getByTestId("stage-b").waitFor();
    await a.getByTestId("wipe-slider").fill("30");
    const clip = await a.getByTestId("stage-b-cell").evaluate((el) =>
      getComputedStyle(el).clipPath
    );
    assert.equal(clip, "inset(0px 0px 0px 30%)", "B shows right of the divider");
    // One set of controls drives both: B follows A's frame.
    await a.keyboard.press(".");
    await showsFrame(a, 20);
    await until("B on A's frame", () =>
      a.evaluate(() => {
        const [va, vb] = ["stage-a", "stage-b"].map((id) =>
          document.querySelector(`[data-testid=${id}]`) as HTMLVideoElement
        );
        return Math.abs(va!.currentTime - vb!.currentTime) < 1 / 32;
      }));
    await studio.screenshot(a, "take-viewer-wipe");
    await a.getByTestId("mode-side").click();
    const [left, right] = await Promise.all(
      ["stage-a", "stage-b"].map(async (id) => (await a.getByTestId(id).boundingBox())!),
    );
    assert.ok(left!.x + left!.width <= right!.x + 1, "side by side");
    await studio.screenshot(a, "take-viewer-side-by-side");
    await a.getByTestId("compare-with").selectOption("");
    await a.getByTestId("stage-b").waitFor({ state: "detached" });
  });

  await t.step("Select this take reaches everyone live; a reviewer cannot select", async () => {
    await a.getByTestId(`strip-${first!.id}`).click();
    assert.equal(await a.getByTestId("take-name").innerText(), "SHOT-010_v01_take01.mp4");
    await a.getByTestId("select-take").click();
    await a.getByTestId("select-state").filter({ hasText: "by Ana" }).waitFor();
    for (const page of [b, c]) {
      await page.locator(`[data-testid=take-${first!.id}][data-selected=true]`).waitFor();
      assert.equal(
        await page.locator(`[data-testid=take-${second!.id}][data-selected=true]`).count(),
        0,
        "one selected take per node",
      );
    }
    await studio.screenshot(b, "take-viewer-selected-seen-by-editor");
    await c.getByTestId(`take-${first!.id}`).click();
    await c.getByTestId("take-viewer").waitFor();
    assert.match(await c.getByTestId("select-state").innerText(), /Selected\s+by Ana/);
    assert.equal(await c.getByTestId("select-take").count(), 0, "no Select for a reviewer");
    assert.equal(await c.getByTestId("use-settings").count(), 0);
    const status = await c.evaluate(
      async ([projectId, takeId]) =>
        (await fetch(`/api/projects/${projectId}/nodes/hero/selected-take`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ takeId }),
        })).status,
      [projectId, second!.id],
    );
    assert.equal(status, 403);
    await studio.screenshot(c, "take-viewer-reviewer");
    await c.keyboard.press("Escape");
    await c.getByTestId("take-viewer").waitFor({ state: "detached" });
  });

  await t.step(
    "Use these settings puts the take's parameters back on the node for everyone",
    async () => {
      await b.getByTestId("node-hero").getByTestId("node-title").click();
      const prompt = b.getByTestId("param-hero-prompt");
      await prompt.fill("a lighthouse in fog");
      // Done typing: a field being typed in is told of a change instead of taking it.
      await prompt.blur();
      await until(
        "Ana to see Ben's prompt",
        async () =>
          (await a.getByTestId("take-params").count()) > 0 &&
          (await studio.api<{ graph: { nodes: Record<string, { params: { prompt: string } }> } }>(
              "GET",
              `/api/projects/${projectId}/graph`,
              ana.token,
            )).graph.nodes.hero!.params.prompt === "a lighthouse in fog",
      );
      await a.getByTestId("use-settings").click();
      await until(
        "Ben's field to read the take's prompt",
        async () => (await prompt.inputValue()) === "a lighthouse at dusk",
      );
      const seed = await a.getByTestId("take-seed").innerText();
      assert.equal(await b.getByTestId("param-hero-seed").inputValue(), seed, "and its seed");
      await studio.screenshot(b, "take-viewer-settings-used");
    },
  );

  await t.step("a second node under the same shot numbers its takes from take01", async () => {
    await a.keyboard.press("Escape");
    const at = await a.getByTestId("node-copy").boundingBox();
    await a.mouse.click(at!.x + at!.width / 2, at!.y + 12, { button: "right" });
    await a.getByTestId("menu-open-takes").click();
    assert.equal(await a.getByTestId("take-name").innerText(), "SHOT-010B_v01_take01.mp4");
    await a.keyboard.press("Escape");
    await a.getByTestId("node-hero").getByTestId("node-title").click();
    assert.match(
      await a.getByTestId("inspector-shared-naming").innerText(),
      /SC01 \/ SHOT-010 v01 is shared with "copy"\. Each node numbers its own takes/,
    );
    await studio.screenshot(a, "take-names-shared-naming");
    await a.getByTestId("inspector-open-takes").click();
    assert.equal(await a.getByTestId("take-name").innerText(), "SHOT-010_v01_take01.mp4");
    await a.keyboard.press("Escape");
    assert.deepEqual(await cspViolations(a), []);
  });

  await t.step("on a phone the viewer is a full-screen sheet that plays", async () => {
    const phone = await studio.open(ben, `/projects/${projectId}`, {
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    await live(phone);
    // Zoomed out to fit the phone, cards leave their takes out: the inspector drawer lists them.
    await phone.getByTestId("node-hero").getByTestId("node-title").tap();
    await phone.getByTestId("open-inspector").tap();
    await phone.getByTestId("inspector-takes").getByTestId(`take-${first!.id}`).tap();
    const viewer = phone.getByTestId("take-viewer");
    await viewer.waitFor();
    const box = (await viewer.boundingBox())!;
    assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 390, 844]);
    const stage = (await phone.getByTestId("stage-a").boundingBox())!;
    assert.ok(stage.x >= 0 && stage.x + stage.width <= 390 && stage.y + stage.height <= 844);
    await until(
      "the video's length",
      async () => (await phone.getByTestId("frame-readout").innerText()).includes("/ 32"),
    );
    await phone.getByTestId("play").tap();
    await until(
      "the take to play",
      () => phone.getByTestId("stage-a").evaluate((v) => (v as HTMLVideoElement).currentTime > 0.3),
    );
    await studio.screenshot(phone, "take-viewer-phone");
    await phone.getByTestId("take-details").scrollIntoViewIfNeeded();
    await studio.screenshot(phone, "take-viewer-phone-details");
    assert.deepEqual(await cspViolations(phone), []);
    await phone.context().close();
  });
});
