/**
 * Two people on one canvas, each in their own browser context: what one does, the other sees
 * within half a second; a node both drag ends in one place for both; deleting a node someone
 * else is editing tells them.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { centre, live, nodePosition, projectWith } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** How long a change may take to reach a teammate's screen (the promise). */
const VISIBLE_WITHIN_MS = 500;

/** Records, in the page, the wall-clock time the first element matching `selector` appears. */
async function stampWhenShown(page: Page, selector: string): Promise<() => Promise<number>> {
  const key = `__shown_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(({ selector, key }) => {
    const w = globalThis as unknown as Record<string, number>;
    const check = () => {
      if (w[key] === undefined && document.querySelector(selector)) w[key] = Date.now();
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true });
    check();
  }, { selector, key });
  return () =>
    until(
      `"${selector}" on screen`,
      () => page.evaluate((key) => (globalThis as unknown as Record<string, number>)[key], key),
    );
}

/** Records, in the page, the wall-clock time of the next `type` event (the user's action). */
async function stampEvent(page: Page, type: string): Promise<() => Promise<number>> {
  const key = `__event_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(({ type, key }) => {
    addEventListener(type, () => {
      (globalThis as unknown as Record<string, number>)[key] ??= Date.now();
    }, { capture: true, once: true });
  }, { type, key });
  return () =>
    until(
      `a ${type} event`,
      () => page.evaluate((key) => (globalThis as unknown as Record<string, number>)[key], key),
    );
}

/** Drops a palette node at a point of the canvas (HTML drag and drop, as a user does). */
async function dropNode(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId("canvas"), {
    targetPosition: at,
  });
}

Deno.test("two collaborators see each other's edits live and converge", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const projectId = await projectWith(studio, ana, [{ user: ben, role: "editor" }]);
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step("A adds and connects nodes; B sees each within 500 ms", async () => {
    const delays: number[] = [];
    for (
      const [type, at] of [["asset.character", { x: 140, y: 200 }], [
        "image.generate",
        { x: 520, y: 240 },
      ]] as const
    ) {
      const dropped = await stampEvent(a, "drop");
      const shownB = await stampWhenShown(b, `[data-node-type="${type}"]`);
      await dropNode(a, type, at);
      delays.push(await shownB() - await dropped());
    }
    const ids = await a.locator("[data-node-type]").evaluateAll((els) =>
      els.map((el) => [el.getAttribute("data-node-type"), el.getAttribute("data-testid")!.slice(5)])
    );
    const character = ids.find(([type]) => type === "asset.character")![1]!;
    const image = ids.find(([type]) => type === "image.generate")![1]!;
    const released = await stampEvent(a, "pointerup");
    const shownB = await stampWhenShown(b, "path[data-testid^=edge-]");
    const from = await centre(a, `socket-${character}-out-character`);
    const to = await centre(a, `socket-${image}-in-character`);
    await a.mouse.move(from.x, from.y);
    await a.mouse.down();
    await a.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await a.mouse.move(to.x, to.y, { steps: 4 });
    await a.mouse.up();
    delays.push(await shownB() - await released());
    await studio.screenshot(b, "collab-b-sees-a-edits");
    console.log(`A→B visible after ${delays.join(", ")} ms (node, node, edge)`);
    for (const delay of delays) {
      assert.ok(delay < VISIBLE_WITHIN_MS, `B saw A's edit ${delay} ms after A (${delays})`);
    }
  });

  await t.step("both drag one node at once and end in the same place", async () => {
    const id = (await a.locator('[data-node-type="image.generate"]').getAttribute("data-testid"))!
      .slice(5);
    const title = async (page: Page) => {
      const box = (await page.getByTestId(`node-${id}`).getByTestId("node-title").boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const start = await nodePosition(a, id);
    const [pa, pb] = await Promise.all([title(a), title(b)]);
    await Promise.all([a.mouse.move(pa.x, pa.y), b.mouse.move(pb.x, pb.y)]);
    await Promise.all([a.mouse.down(), b.mouse.down()]);
    for (let i = 1; i <= 8; i++) {
      await Promise.all([
        a.mouse.move(pa.x + i * 15, pa.y + i * 5),
        b.mouse.move(pb.x - i * 10, pb.y + i * 12),
      ]);
    }
    await Promise.all([a.mouse.up(), b.mouse.up()]);
    const same = await until("both screens to agree", async () => {
      const [at, bt] = await Promise.all([nodePosition(a, id), nodePosition(b, id)]);
      return at.x === bt.x && at.y === bt.y ? at : null;
    });
    await studio.screenshot(a, "collab-after-concurrent-drag-a");
    assert.notDeepEqual(same, start, "the node moved");
  });

  await t.step("A deletes the node B is editing, and B is told", async () => {
    const id = (await a.locator('[data-node-type="image.generate"]').getAttribute("data-testid"))!
      .slice(5);
    await b.getByTestId(`node-${id}`).getByTestId("node-title").click();
    const titleField = b.getByTestId("inspector-title");
    await titleField.click();
    await a.getByTestId(`node-${id}`).getByTestId("node-title").click();
    await a.keyboard.press("Delete");
    const notice = b.getByTestId("toast").filter({ hasText: "Ana deleted" });
    await notice.waitFor();
    assert.match(await notice.innerText(), /^Ana deleted ".+", which you were editing/);
    await b.getByTestId(`node-${id}`).waitFor({ state: "detached" });
    await studio.screenshot(b, "collab-b-told-of-delete");
  });
});
