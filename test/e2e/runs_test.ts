/**
 * Generate from the canvas with a real agent process and the fake ComfyUI: both collaborators
 * watch the progress bar move and the take appear, cancel stops the run, and a ComfyUI error
 * is shown on the node with the backend's message.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** Every distinct progress value the page shows for a node, sampled until `done` resolves. */
function watchProgress(page: Page, nodeId: string) {
  const seen: number[] = [];
  let stop = false;
  const sampling = (async () => {
    while (!stop) {
      const value = await page.getByTestId(`progress-${nodeId}`)
        .getAttribute("aria-valuenow", { timeout: 50 }).catch(() => null);
      if (value !== null && Number(value) !== seen.at(-1)) seen.push(Number(value));
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return {
    seen,
    async stop() {
      stop = true;
      await sampling;
    },
  };
}

Deno.test("generate, cancel and a ComfyUI error, as two collaborators see them", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([node("still", "image.generate", 80, 80, { prompt: "a lighthouse at dusk" })]),
  );
  const agent = await studio.startAgent(ana);
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step("both see the progress bar move and the take appear", async () => {
    studio.fake.behaviour.stepMs = 120; // 20 steps: long enough to watch
    const watchA = watchProgress(a, "still");
    const watchB = watchProgress(b, "still");
    await a.getByTestId("generate-still").click();
    try {
      for (const page of [a, b]) {
        await page.getByTestId("takes-still").locator("[data-testid^=take-]").first()
          .waitFor({ timeout: 30_000 });
      }
    } catch (e) {
      await studio.screenshot(a, "runs-failure-a");
      console.log(agent.output(), studio.logs().slice(-4000));
      throw e;
    }
    await Promise.all([watchA.stop(), watchB.stop()]);
    await studio.screenshot(b, "runs-take-appeared-b");
    for (const seen of [watchA.seen, watchB.seen]) {
      const moving = seen.filter((v) => v > 0 && v < 100);
      assert.ok(moving.length >= 2, `the bar moved through several values: ${seen}`);
      assert.deepEqual(moving, [...moving].sort((x, y) => x - y), "and only forward");
    }
  });

  await t.step("cancel stops the run for everyone", async () => {
    studio.fake.behaviour.stepMs = 400;
    await a.getByTestId("generate-still").click();
    await until(
      "progress on B's page",
      async () =>
        Number(await b.getByTestId("progress-still").getAttribute("aria-valuenow").catch(() => 0)) >
          0,
    );
    await studio.screenshot(a, "runs-progress-a");
    await a.getByTestId("cancel-still").click();
    for (const page of [a, b]) {
      await page.getByTestId("generate-still").waitFor({ timeout: 15_000 });
      await page.getByTestId("progress-still").waitFor({ state: "detached" });
    }
    const { jobs } = await studio.api<{ jobs: { state: string }[] }>(
      "GET",
      `/api/projects/${projectId}/jobs?nodeId=still`,
      ana.token,
    );
    assert.equal(jobs[0]?.state, "canceled");
    await until(
      "ComfyUI to be interrupted",
      () => studio.fake.requests.some((r) => r.method === "POST" && r.path === "/interrupt"),
    );
    assert.equal(
      await b.getByTestId("takes-still").locator("[data-testid^=take-]").count(),
      1,
      "the canceled run left no take",
    );
    assert.equal(
      await b.getByTestId("takes-still").getAttribute("title"),
      "canceled by Ana",
      "B is told who canceled",
    );
  });

  await t.step("a ComfyUI error is shown on the node with the backend's message", async () => {
    studio.fake.behaviour.stepMs = 20;
    studio.fake.fail({
      classType: "VAEDecode",
      exceptionType: "RuntimeError",
      exceptionMessage: "Given groups=1, weight of size [4]",
    });
    await a.getByTestId("generate-still").click();
    for (const page of [a, b]) {
      const error = page.getByTestId("error-still");
      await error.waitFor({ timeout: 20_000 });
      assert.match(
        await error.innerText(),
        /VAEDecode.*RuntimeError: Given groups=1, weight of size \[4\]/,
      );
      assert.equal(await page.getByTestId("generate-still").innerText(), "Retry");
    }
    await studio.screenshot(b, "runs-error-b");
  });

  await agent.stop();
});
