/**
 * Text fields are shared while typing (issue 13): a teammate sees the prompt grow before the
 * typist leaves the field, and when two people type into one field, neither loses their text
 * unseen: the one whose field changed under them is told who changed it and chooses.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

const PROMPT = "param-still-prompt";

async function openPrompt(page: Page): Promise<void> {
  await page.getByTestId("node-still").getByTestId("node-title").click();
  await page.getByTestId(PROMPT).click();
}

Deno.test("prompts are shared while typing, and a clash in one field is shown, not lost", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([node("still", "image.generate", 80, 80, { prompt: "" })]),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step("Ben sees Ana's prompt as she types, before she leaves the field", async () => {
    await b.getByTestId("node-still").getByTestId("node-title").click(); // Ben watches the node
    await openPrompt(a);
    await a.keyboard.type("a lighthouse at dusk", { delay: 40 });
    await until(
      "Ana's text in Ben's inspector",
      async () => (await b.getByTestId(PROMPT).inputValue()) === "a lighthouse at dusk",
    );
    assert.equal(
      await a.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      PROMPT,
      "Ana is still in the field",
    );
    await studio.screenshot(b, "live-typing-ben-sees-prompt");
  });

  await t.step("two people typing in one field: the one overwritten is told, by name", async () => {
    await b.getByTestId(PROMPT).click();
    await b.keyboard.press("End");
    await b.keyboard.type(", stormy", { delay: 30 });
    // Ana is still typing in the same field: Ben's change reaches her field while she is in it.
    const conflictA = a.getByTestId(`${PROMPT}-conflict`);
    await conflictA.waitFor();
    assert.match(await conflictA.innerText(), /Ben changed this while you were typing/);
    assert.equal(
      await a.getByTestId(PROMPT).inputValue(),
      "a lighthouse at dusk",
      "Ana's text is not replaced under her cursor",
    );
    await a.keyboard.type(" in winter");
    await studio.screenshot(a, "live-typing-ana-told-ben-changed");
    await a.getByTestId(`${PROMPT}-keep-mine`).click();
    // Ben, still in the field, is now told in turn; his text stays in front of him.
    const conflictB = b.getByTestId(`${PROMPT}-conflict`);
    await conflictB.waitFor();
    assert.match(await conflictB.innerText(), /Ana changed this while you were typing/);
    assert.match(await conflictB.innerText(), /a lighthouse at dusk in winter/);
    assert.equal(await b.getByTestId(PROMPT).inputValue(), "a lighthouse at dusk, stormy");
    await studio.screenshot(b, "live-typing-ben-told-ana-changed");
    await b.getByTestId(`${PROMPT}-use-theirs`).click();
    assert.equal(await b.getByTestId(PROMPT).inputValue(), "a lighthouse at dusk in winter");
  });
});
