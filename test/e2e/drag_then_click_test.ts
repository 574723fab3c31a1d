/**
 * Regression (issue 13): drag node A, release, then click B, A, B. Every collaborator's canvas,
 * and the saved graph after a reload, must show A where it was dropped, not on top of B.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { graphOf, live, node, nodePosition, projectWith } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** The centre of a node's title bar on screen: where a person grabs or clicks it. */
async function titleOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(`node-${id}`).getByTestId("node-title").boundingBox();
  if (!box) throw new Error(`node ${id} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function click(page: Page, id: string): Promise<void> {
  const at = await titleOf(page, id);
  await page.mouse.click(at.x, at.y);
}

Deno.test("a drag followed by clicks on other nodes ends in one place for everyone", async (t) => {
  await using studio = await startStudio();
  const [ana, ben, cleo] = await Promise.all(
    ["Ana", "Ben", "Cleo"].map((name) => studio.signUp(name)),
  );
  const projectId = await projectWith(
    studio,
    ana!,
    [{ user: ben!, role: "editor" }, { user: cleo!, role: "editor" }],
    graphOf([
      node("shot-a", "image.generate", 80, 80, { prompt: "a lighthouse" }),
      node("shot-b", "image.generate", 520, 300, { prompt: "a harbour" }),
    ]),
  );
  const pages = await Promise.all(
    [ana!, ben!, cleo!].map((user) => studio.open(user, `/projects/${projectId}`)),
  );
  await Promise.all(pages.map(live));
  const [a, b, c] = pages as [Page, Page, Page];

  type Saved = { revision: number; graph: { nodes: Record<string, { x: number; y: number }> } };
  const savedGraph = () => studio.api<Saved>("GET", `/api/projects/${projectId}/graph`, ana!.token);
  const seeded = (await savedGraph()).revision;
  let dropped = { x: 0, y: 0 };
  await t.step("Ana drags A, releases, then clicks B, A, B", async () => {
    const from = await titleOf(a, "shot-a");
    const start = await nodePosition(a, "shot-a");
    await a.mouse.move(from.x, from.y);
    await a.mouse.down();
    for (let i = 1; i <= 10; i++) await a.mouse.move(from.x + i * 12, from.y + i * 20);
    await a.mouse.up();
    dropped = await nodePosition(a, "shot-a");
    assert.notDeepEqual(dropped, start, "the drag moved A");
    for (const id of ["shot-b", "shot-a", "shot-b"]) await click(a, id);
    await studio.screenshot(a, "drag-then-click-ana");
  });

  await t.step("Ben and Cleo see A where Ana dropped it", async () => {
    // Let every op and relay land (well over the 500 ms a teammate may take to see an edit).
    await a.waitForTimeout(1500);
    for (const page of [a, b, c]) {
      assert.deepEqual(await nodePosition(page, "shot-a"), dropped, "A where Ana dropped it");
    }
    // B never moved.
    for (const page of [a, b, c]) {
      assert.deepEqual(await nodePosition(page, "shot-b"), { x: 520, y: 300 });
    }
    await studio.screenshot(b, "drag-then-click-ben");
  });

  await t.step("the saved graph after a reload has A where it was dropped", async () => {
    // The room flushes a revision about a second after changes stop.
    const saved = await until("the room to flush a revision", async () => {
      const got = await savedGraph();
      return got.revision > seeded ? got : null;
    });
    const { x, y } = saved.graph.nodes["shot-a"]!;
    assert.deepEqual({ x, y }, dropped, "the saved A");
    await b.reload();
    await live(b);
    assert.deepEqual(await nodePosition(b, "shot-a"), dropped, "A after Ben's reload");
    await studio.screenshot(b, "drag-then-click-ben-reloaded");
  });
});
