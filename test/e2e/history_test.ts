/**
 * History that says who changed what (issue 13), with Ana (owner), Ben (editor) and Cleo (a
 * reviewer by link): Ben's edits read "Ben moved 3 nodes, changed the prompt of Shot
 * SHOT-010", not "Live edits 46-46 on the canvas"; opening a revision draws its graph small
 * before anyone reverts to it; a revert reads as one; Cleo reads and previews, and cannot
 * revert.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, link, live, node, reviewerByLink } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** The history as the panel shows it, newest first (the tab is opened again to read afresh). */
async function history(page: Page): Promise<string[]> {
  await page.getByTestId("tab-nodes").click();
  await page.getByTestId("tab-history").click();
  await page.getByTestId("history-panel").locator("li").first().waitFor();
  return await page.getByTestId("history-panel").locator("[data-testid$=-summary]").allInnerTexts();
}

Deno.test("history names who changed what and previews a revision before revert", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf(
      [
        { ...node("door", "shot.generate", 460, 80, { prompt: "a red door" }), title: "Shot" },
        {
          ...node("hall", "shot.generate", 460, 420, { prompt: "a hall", shot: "SHOT-020" }),
          title: "Shot",
        },
        { ...node("rey", "asset.character", 80, 120), title: "Rey" },
      ],
      link("e1", "rey", "image", "door", "reference"),
    ),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);
  const seeded = await history(a);
  assert.deepEqual(seeded, [
    'Ana added 3 nodes, connected Character "Rey" to Shot SHOT-010',
  ]);

  await t.step("Ben's edits read as what he did", async () => {
    await b.getByTestId("node-door").getByTestId("node-title").click();
    await b.getByTestId("param-door-prompt").fill("a blue door");
    await b.getByTestId("param-door-prompt").blur();
    await b.getByTestId("node-door").getByTestId("node-title").click();
    await b.keyboard.press("Control+a");
    await b.keyboard.press("ArrowRight");
    const words = await until("Ben's edits in the history", async () => {
      const lines = await history(a);
      const his = lines.filter((l) => l.startsWith("Ben ")).join(", ");
      return his.includes("moved 3 nodes") && his.includes("changed the prompt of Shot SHOT-010") &&
        lines;
    }, 20_000);
    assert.ok(!words.some((l) => l.includes("Live edits")), words.join("\n"));
    await studio.screenshot(a, "history-who-changed-what");
  });

  await t.step("a revision's graph is drawn before anyone reverts to it", async () => {
    await a.getByTestId("revision-1").getByRole("button").first().click();
    const preview = a.getByTestId("revision-1").getByTestId("graph-preview");
    await preview.waitFor();
    assert.equal(await preview.getByTestId("preview-node").count(), 3);
    assert.equal(await preview.getByTestId("preview-edge").count(), 1);
    assert.deepEqual(
      await preview.locator("text").allTextContents(),
      ["Shot", "Shot", "Rey"],
    );
    await studio.screenshot(a, "history-preview");
    a.once("dialog", (d) => void d.accept());
    await a.getByTestId("revert-1").click();
    const after = await until("the revert in the history", async () => {
      const lines = await history(a);
      return lines[0]?.startsWith("Ana reverted the canvas to revision 1: ") && lines;
    }, 20_000);
    assert.match(after[0]!, /moved 3 nodes/);
    assert.match(after[0]!, /changed the prompt of Shot SHOT-010/);
    await until("Ben's canvas back", async () => {
      const moved = await b.getByTestId("node-door").evaluate((el) => el.style.transform);
      return moved.includes("translate(460px, 80px)");
    });
  });

  await t.step("a reviewer by link reads and previews history, and cannot revert", async () => {
    const c = await reviewerByLink(studio, ana, projectId);
    const lines = await history(c);
    assert.ok(lines.some((l) => l.startsWith("Ben ")), lines.join("\n"));
    await c.getByTestId("revision-1").getByRole("button").first().click();
    await c.getByTestId("revision-1").getByTestId("graph-preview").waitFor();
    assert.equal(await c.getByTestId("revert-1").count(), 0);
    await studio.screenshot(c, "history-reviewer");
  });
});
