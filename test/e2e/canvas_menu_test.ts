/**
 * The canvas in a filmmaker's first hour (issue 13): nodes added by clicks and Ctrl+D land in
 * free room near the middle of the view, not on each other; Enter in the node filter adds the
 * first match; a right click (or a long press on a touch screen) opens a menu to add a node
 * right there, or to open a node's takes, generate, duplicate or delete it; the palette's
 * "5→1" badges are a tooltip in words.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, centre, graphOf, live, node } from "./helpers.ts";
import { cspViolations, startStudio, until } from "./studio.ts";

type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every node card's box on screen, by node id. */
async function cards(page: Page): Promise<Map<string, Box>> {
  const boxes = new Map<string, Box>();
  for (const card of await page.locator("[data-node-type]").all()) {
    const id = (await card.getAttribute("data-testid"))!.slice("node-".length);
    boxes.set(id, (await card.boundingBox())!);
  }
  return boxes;
}

function assertApart(boxes: Map<string, Box>): void {
  const list = [...boxes];
  for (const [i, [id, box]] of list.entries()) {
    for (const [other, otherBox] of list.slice(i + 1)) {
      assert.ok(!overlaps(box, otherBox), `${id} and ${other} overlap`);
    }
  }
}

const count = (page: Page) => page.locator("[data-node-type]").count();

Deno.test("new nodes land in free room; Enter adds the first match; a context menu on canvas and nodes", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([node("first", "shot.generate", 80, 80, { prompt: "a door" })]),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step(
    "three palette clicks and two Ctrl+D: five new cards, none on another, all in view",
    async () => {
      for (let i = 0; i < 3; i++) await a.getByTestId("palette-image.generate").click();
      await a.keyboard.press("Control+d");
      await a.keyboard.press("Control+d");
      await until("six cards", async () => (await count(a)) === 6);
      const boxes = await cards(a);
      assertApart(boxes);
      const canvas = (await a.getByTestId("canvas").boundingBox())!;
      for (const [id, box] of boxes) {
        assert.ok(
          box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width &&
            box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height,
          `${id} is in view`,
        );
      }
      await studio.screenshot(a, "canvas-placed-apart");
      await until("Ben to have them too", async () => (await count(b)) === 6);
    },
  );

  await t.step("Enter in the node filter adds the first match", async () => {
    await a.getByTestId("palette-filter").fill("upsc");
    await a.getByTestId("palette-filter").press("Enter");
    await a.locator("[data-node-type=upscale]").waitFor();
    assertApart(await cards(a));
  });

  await t.step("the palette's socket counts are a tooltip in words", async () => {
    await a.getByTestId("palette-filter").fill("");
    const shot = a.getByTestId("palette-shot.generate");
    assert.equal(await shot.innerText(), "Shot");
    assert.equal(
      await shot.getAttribute("title"),
      "Text to video for one shot. 5 inputs → 1 output",
    );
  });

  await t.step("right click on empty canvas: add a node right there", async () => {
    await a.getByTestId("zoom-fit").click();
    // One step out: room to spare below the cards, however tall their sockets make them.
    await a.getByTestId("zoom-out").click();
    const canvas = (await a.getByTestId("canvas").boundingBox())!;
    const at = { x: canvas.x + 120, y: canvas.y + canvas.height - 120 };
    await a.mouse.click(at.x, at.y, { button: "right" });
    await a.getByTestId("context-menu").waitFor();
    await studio.screenshot(a, "canvas-menu-empty");
    const before = await count(a);
    await a.getByTestId("menu-filter").fill("audio");
    await a.getByTestId("menu-filter").press("Enter");
    await a.getByTestId("context-menu").waitFor({ state: "detached" });
    await until("the new node", async () => (await count(a)) === before + 1);
    const audio = (await a.locator("[data-node-type='audio.generate']").boundingBox())!;
    assert.ok(
      Math.abs(audio.x + audio.width / 2 - at.x) < audio.width &&
        Math.abs(audio.y - at.y) < 80,
      `placed where the menu was opened: ${JSON.stringify(audio)} vs ${JSON.stringify(at)}`,
    );
    await until("Ben to see it", async () => (await count(b)) === before + 1);
  });

  await t.step("right click on a node: duplicate, delete, generate and open takes", async () => {
    const at = await centre(a, "node-first");
    await a.mouse.click(at.x, at.y - 40, { button: "right" });
    await a.getByTestId("menu-open-takes").waitFor();
    for (const item of ["menu-generate", "menu-duplicate", "menu-delete"]) {
      assert.ok(await a.getByTestId(item).isVisible(), item);
    }
    await studio.screenshot(a, "canvas-menu-node");
    const before = await count(a);
    await a.getByTestId("menu-duplicate").click();
    await until("the copy", async () => (await count(a)) === before + 1);
    const copy = await a.locator(".node.selected").getAttribute("data-testid");
    assert.notEqual(copy, "node-first", "the copy is selected");
    // The copy lands in free room. (The node added at the pointer in the step before sits where
    // the menu was opened, on purpose, so only the copy is held apart from the rest.)
    const boxes = await cards(a);
    const copyBox = boxes.get(copy!.slice("node-".length))!;
    for (const [id, box] of boxes) {
      if (`node-${id}` !== copy) assert.ok(!overlaps(copyBox, box), `the copy overlaps ${id}`);
    }
    const copyAt = await centre(a, copy!);
    await a.mouse.click(copyAt.x, copyAt.y - 40, { button: "right" });
    await a.getByTestId("menu-delete").click();
    await until("the copy gone", async () => (await count(a)) === before);
    await until("for Ben too", async () => (await count(b)) === before);

    await a.mouse.click(at.x, at.y - 40, { button: "right" });
    await a.getByTestId("menu-open-takes").click();
    assert.equal(await a.getByTestId("inspector-title").inputValue(), "first");
    await a.getByTestId("inspector-no-takes").waitFor();
    await a.mouse.click(at.x, at.y - 40, { button: "right" });
    await a.getByTestId("menu-generate").click();
    // No agent: the job is queued, and the card says why it waits.
    await a.getByTestId("progress-first").waitFor();
    await until("the job queued", async () => {
      const { jobs } = await studio.api<{ jobs: { nodeId: string }[] }>(
        "GET",
        `/api/projects/${projectId}/jobs`,
        ana.token,
      );
      return jobs.length === 1 && jobs[0]?.nodeId === "first";
    });
  });
  for (const page of [a, b]) assert.deepEqual(await cspViolations(page), []);
});

Deno.test("a long press on a touch screen opens the same menu", async () => {
  await using studio = await startStudio();
  const { ana, projectId } = await anaWithEditorBen(
    studio,
    graphOf([node("first", "shot.generate", 80, 80, { prompt: "a door" })]),
  );
  const page = await studio.open(ana, `/projects/${projectId}`, {
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
  });
  await live(page);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  const at = { x: canvas.x + canvas.width - 80, y: canvas.y + canvas.height - 80 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at] });
  await new Promise((r) => setTimeout(r, 800));
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.getByTestId("context-menu").waitFor();
  await page.getByTestId("menu-add-image.generate").tap();
  await page.locator("[data-node-type='image.generate']").waitFor();
  await studio.screenshot(page, "canvas-menu-long-press");
  assert.deepEqual(await cspViolations(page), [], "nothing the page's CSP refuses");
});
