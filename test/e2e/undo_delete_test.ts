/**
 * Regression (issue 13): undoing a delete brings back the same node (id, params, edges) for
 * everyone, and so its takes, which belong to the node's id.
 */
import assert from "node:assert/strict";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

Deno.test("undo of a delete restores the same node with its edges and takes", async () => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf(
      [
        node("hero", "asset.character", 60, 80),
        node("still", "image.generate", 420, 80, { prompt: "a lighthouse at dusk", seed: 7 }),
      ],
      {
        e1: {
          id: "e1",
          from: { node: "hero", socket: "character" },
          to: { node: "still", socket: "character" },
        },
      },
    ),
  );
  await studio.startAgent(ana);
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);
  const takes = (page: typeof a) => page.getByTestId("takes-still").locator("[data-testid^=take-]");

  await a.getByTestId("generate-still").click();
  await takes(a).first().waitFor({ timeout: 30_000 });
  await takes(b).first().waitFor();
  const takeIds = await takes(a).evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-testid"))
  );

  // Delete with the keyboard, as a user does, then undo.
  await a.getByTestId("node-still").getByTestId("node-title").click();
  await a.keyboard.press("Delete");
  for (const page of [a, b]) await page.getByTestId("node-still").waitFor({ state: "detached" });
  await a.keyboard.press("Control+z");

  for (const page of [a, b]) {
    await page.getByTestId("node-still").waitFor();
    assert.deepEqual(
      await takes(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-testid"))),
      takeIds,
      "the node's takes are back on its card",
    );
    assert.equal(await page.getByTestId("edge-e1").count(), 1, "its edge is back");
  }
  await studio.screenshot(b, "undo-delete-restored-b");

  // The room holds the same node: the saved graph, after the flush, has it with its params.
  const saved = await until("the restored node in the saved graph", async () => {
    const got = await studio.api<{ graph: { nodes: Record<string, { params: unknown }> } }>(
      "GET",
      `/api/projects/${projectId}/graph`,
      ana.token,
    );
    return got.graph.nodes.still ? got : null;
  });
  assert.deepEqual(saved.graph.nodes.still!.params, {
    prompt: "a lighthouse at dusk",
    seed: 7,
  });
  await b.reload();
  await live(b);
  await takes(b).first().waitFor();
  assert.equal(await b.getByTestId("edge-e1").count(), 1);
});
