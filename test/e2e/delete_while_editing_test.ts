/**
 * Deleting a node someone is editing (issue 13): the editor gets one clear notice naming who
 * deleted it (no second, raw refusal), and what they typed is not lost: the notice offers to
 * restore the node, which comes back for everyone under its own id with their text.
 */
import assert from "node:assert/strict";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

Deno.test("a node deleted while a teammate types in it can be restored with their text", async () => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      node("still", "image.generate", 80, 80, { prompt: "a lighthouse" }),
      node("other", "upscale", 520, 80),
    ]),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  // Ben is in the middle of typing a new title when Ana deletes the node. The page keeps the
  // last text his title field held, which is what must come back.
  await b.evaluate(() =>
    addEventListener("input", (e) => {
      const el = e.target as HTMLInputElement;
      if (el.dataset.testid === "inspector-title") {
        (globalThis as unknown as { typed: string }).typed = el.value;
      }
    }, true)
  );
  await b.getByTestId("node-still").getByTestId("node-title").click();
  await b.getByTestId("inspector-title").click();
  await b.keyboard.press("End");
  await b.keyboard.type(" at dawn", { delay: 20 });
  await a.getByTestId("node-still").getByTestId("node-title").click();
  await a.keyboard.press("Delete");
  await b.keyboard.type(", wide", { delay: 20 }); // still typing as the node goes
  await b.getByTestId("node-still").waitFor({ state: "detached" });
  await b.waitForTimeout(800); // any late refusal would have arrived by now

  const toasts = b.getByTestId("toast");
  const texts = await toasts.allInnerTexts();
  await studio.screenshot(b, "delete-while-editing-ben-told");
  assert.equal(texts.length, 1, `one notice, not ${JSON.stringify(texts)}`);
  assert.match(texts[0]!, /^Ana deleted "still at dawn[^"]*", which you were editing/);
  assert.doesNotMatch(texts[0]!, /node still|refused/, "no raw id or refusal");

  const typed = await b.evaluate(() => (globalThis as unknown as { typed: string }).typed);
  assert.match(typed, /^still at dawn/);
  await toasts.getByTestId("toast-action").click();
  for (const page of [a, b]) {
    await page.getByTestId("node-still").waitFor();
    await until(
      "the restored node with Ben's text",
      async () =>
        (await page.getByTestId("node-still").getByTestId("node-title").innerText()) === typed,
    );
  }
  await studio.screenshot(a, "delete-while-editing-restored-a");
  assert.equal(await b.getByTestId("toast").count(), 0, "the notice goes once used");
});
