/**
 * Regression: the asset picker read its library list while it was loading, which suspends the
 * page around the inspector: the canvas was swapped for the "Opening the canvas…" splash and
 * mounted again (a gesture under way then lands on the wrong node). The workflow picker had the
 * same hazard (drag_then_click_test). Selecting an asset node while its list is slow must leave
 * the canvas in place, then offer the library's assets.
 */
import assert from "node:assert/strict";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("selecting an asset node while its library list loads keeps the canvas mounted", async () => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("hero", "asset.character", 80, 80, {})]),
  );
  await studio.api("POST", `/api/projects/${projectId}/assets`, ana.token, {
    type: "character",
    name: "Mira",
    description: "A lighthouse keeper",
  }, 201);
  const page = await studio.open(ana, `/projects/${projectId}`);
  await live(page);
  // Hold the character list back, as a slow network would.
  let release = () => {};
  const held = new Promise<void>((resolve) => release = resolve);
  await page.route(/\/assets\?type=character/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId("canvas").evaluate((el) => (el as HTMLElement).dataset.original = "yes");
  await page.getByTestId("node-hero").getByTestId("node-title").click();
  await page.waitForTimeout(500);
  await studio.screenshot(page, "asset-picker-loading");
  assert.equal(
    await page.locator("[data-testid=canvas][data-original=yes]").count(),
    1,
    "the same canvas element stays while the list loads",
  );
  assert.equal(await page.getByText("Opening the canvas…").count(), 0, "no splash");
  assert.equal(await page.getByTestId("inspector-asset").count(), 1, "the picker shows");
  release();
  await page.getByTestId("inspector-asset").locator("option", { hasText: "Mira" }).waitFor({
    state: "attached",
  });
  assert.equal(await page.locator("[data-testid=canvas][data-original=yes]").count(), 1);
  await studio.screenshot(page, "asset-picker-loaded");
});
