/**
 * The graph survives a reload, and an edit made while the room server is down reaches it (and
 * everyone) once the studio reconnects.
 */
import assert from "node:assert/strict";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("reload and reconnect keep the graph, offline edits included", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("still", "image.generate", 80, 80, { prompt: "rain on glass" })]),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  await live(a);

  await t.step("a reload keeps an edit", async () => {
    await a.getByTestId("palette-upscale").click();
    await a.locator('[data-node-type="upscale"]').waitFor();
    await a.reload();
    await live(a);
    await a.locator('[data-node-type="upscale"]').waitFor();
    assert.equal(await a.getByTestId("node-still").count(), 1);
  });

  await t.step("an edit made while the room is down reaches it after the reconnect", async () => {
    await studio.stopRoom();
    await a.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await a.getByTestId("palette-transition").click();
    await a.locator('[data-node-type="transition"]').waitFor();
    await studio.screenshot(a, "reconnect-offline-edit");
    await studio.startRoom();
    await a.getByTestId("reconnect").click().catch(() => {}); // it may already be retrying
    await live(a);
    // A second person opening the project now gets the graph from the room: the edit is there.
    const b = await studio.open(ana, `/projects/${projectId}`);
    await live(b);
    await b.locator('[data-node-type="transition"]').waitFor();
    assert.equal(await b.locator('[data-node-type="upscale"]').count(), 1);
    assert.equal(await b.getByTestId("node-still").count(), 1);
    await studio.screenshot(b, "reconnect-fresh-view");
  });
});
