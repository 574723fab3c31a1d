/**
 * Narrow screens (390 × 844, a phone; issue 13): the dashboard's Create button is whole, the
 * project's canvas takes the width with the side panels as drawers, the top bar's parts do not
 * overlap, and a reviewer on a phone can look at the canvas, open a node's takes and play one.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { cspViolations, type Device, startStudio, until } from "./studio.ts";

const PHONE: Device = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

type Box = { x: number; y: number; width: number; height: number };

/** The boxes of those of `locators` that are shown. */
async function shown(locators: Record<string, Locator>): Promise<[string, Box][]> {
  const boxes: [string, Box][] = [];
  for (const [name, locator] of Object.entries(locators)) {
    if (await locator.count() === 0 || !await locator.isVisible()) continue;
    const box = await locator.boundingBox();
    if (box && box.width > 0) boxes.push([name, box]);
  }
  return boxes;
}

function assertOnScreenApart(boxes: [string, Box][], width: number): void {
  for (const [name, box] of boxes) {
    assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${name} is on screen: ${box.x}`);
  }
  for (const [i, [name, a]] of boxes.entries()) {
    for (const [other, b] of boxes.slice(i + 1)) {
      const overlap = a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 &&
        a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
      assert.ok(!overlap, `${name} and ${other} overlap`);
    }
  }
}

function topBar(page: Page): Record<string, Locator> {
  const ids = [
    "nav-home",
    "open-palette",
    "project-title",
    "undo",
    "redo",
    "review-badge",
    "connection-state",
    "avatars",
    "open-inspector",
    "whats-new",
    "open-sharing",
    "nav-agents",
    "nav-pools",
    "nav-studios",
    "account-name",
    "sign-out",
  ];
  return Object.fromEntries(ids.map((id) => [id, page.getByTestId(id)]));
}

Deno.test("on a phone the dashboard and the studio fit, and a reviewer opens and plays a take", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const rev = await studio.signUp("Rey");
  const projectId = await projectWith(
    studio,
    ana,
    [{ user: rev, role: "reviewer" }],
    graphOf([node("shot", "shot.generate", 80, 80, { prompt: "a lighthouse at dusk" })]),
  );

  await t.step("the dashboard's Create button is whole", async () => {
    const page = await studio.open(ana, "/", PHONE);
    const create = page.getByTestId("project-create");
    await create.waitFor();
    assertOnScreenApart(
      await shown({ create, name: page.getByTestId("project-name-input") }),
      390,
    );
    // The top bar outside a project: every link and Sign out whole, none over another.
    const bar = await shown(topBar(page));
    assert.deepEqual(bar.map(([name]) => name).filter((n) => n.startsWith("nav-")), [
      "nav-home",
      "nav-agents",
      "nav-pools",
      "nav-studios",
    ]);
    assert.ok(bar.some(([name]) => name === "sign-out"));
    assertOnScreenApart(bar, 390);
    await studio.screenshot(page, "narrow-dashboard");
    await page.context().close();
  });

  await t.step(
    "the studio: a canvas as wide as the screen, panels as drawers, a top bar that fits",
    async () => {
      const page = await studio.open(ana, `/projects/${projectId}`, PHONE);
      await live(page);
      const canvas = (await page.getByTestId("canvas").boundingBox())!;
      assert.ok(canvas.width >= 380 && canvas.height >= 700, `canvas ${JSON.stringify(canvas)}`);
      assertOnScreenApart(await shown(topBar(page)), 390);
      await studio.screenshot(page, "narrow-studio");
      await page.getByTestId("open-palette").tap();
      const palette = page.getByTestId("palette");
      await until("the palette drawer", async () => (await palette.boundingBox())!.x >= 0);
      await studio.screenshot(page, "narrow-studio-palette-drawer");
      await page.getByTestId("palette-image.generate").tap();
      await page.locator("[data-node-type='image.generate']").waitFor();
      await page.getByTestId("drawer-backdrop").tap({ position: { x: 370, y: 400 } });
      await until("the drawer closed", async () => {
        const box = (await palette.boundingBox())!;
        return box.x + box.width <= 0;
      });
      assert.deepEqual(await cspViolations(page), []);
      await page.context().close();
    },
  );

  await t.step(
    "a reviewer on a phone views the canvas, opens a node's takes and plays one",
    async () => {
      const clip = await makeClip(`${await Deno.makeTempDir()}/clip.mp4`, { seconds: 2 });
      studio.fake.behaviour.outputBytes = () => Deno.readFileSync(clip);
      const agent = await studio.startAgent(ana);
      await studio.api("POST", `/api/projects/${projectId}/nodes/shot/generate`, ana.token, {
        type: "shot.generate",
      });
      await until("the take", async () => {
        const { takes } = await studio.api<{ takes: unknown[] }>(
          "GET",
          `/api/projects/${projectId}/takes`,
          ana.token,
        );
        return takes.length === 1;
      }, 30_000);
      await agent.stop();

      const page = await studio.open(rev, `/projects/${projectId}`, PHONE);
      await live(page);
      await page.getByTestId("review-badge").waitFor();
      assertOnScreenApart(await shown(topBar(page)), 390);
      const card = (await page.getByTestId("node-shot").boundingBox())!;
      assert.ok(card.x >= 0 && card.x + card.width <= 390, "the graph is framed on the phone");
      await page.getByTestId("node-shot").getByTestId("node-title").tap();
      await page.getByTestId("open-inspector").tap();
      const takes = page.getByTestId("inspector-takes");
      await until("the inspector drawer", async () => {
        const box = await takes.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 390;
      });
      const thumb = takes.locator("[data-testid^=take-]").first();
      const thumbBox = (await thumb.boundingBox())!;
      assert.ok(thumbBox.y + thumbBox.height <= 844, "the take is in sight without scrolling");
      await studio.screenshot(page, "narrow-reviewer-takes");
      // The take opens in the take viewer, a full-screen sheet on a phone.
      await thumb.tap();
      const viewer = page.getByTestId("take-viewer");
      await viewer.waitFor();
      const sheet = (await viewer.boundingBox())!;
      assert.deepEqual([sheet.x, sheet.y, sheet.width, sheet.height], [0, 0, 390, 844]);
      const video = page.getByTestId("stage-a");
      await page.getByTestId("play").tap();
      await until(
        "the take to play",
        () => video.evaluate((v) => (v as HTMLVideoElement).currentTime > 0.2),
      );
      await studio.screenshot(page, "narrow-reviewer-plays-take");
      assert.deepEqual(await cspViolations(page), []);
    },
  );
});
