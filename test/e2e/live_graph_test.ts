/**
 * Generate runs the graph the user sees, not the revision the room last flushed to the edge
 * (a second after changes stop): a node made and given a prompt a moment before Generate runs
 * with exactly that prompt, for the editor and for a reviewer watching; and when two editors
 * change the prompt just before Generate, the job has the value the room ordered last, even on
 * a screen that has not heard of the teammate's edit yet.
 */
import assert from "node:assert/strict";
import type { Page, WebSocketRoute } from "playwright-core";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio, type Studio, until } from "./studio.ts";

/** The prompts ComfyUI was asked to run (the text of every POST /prompt). */
function promptsRun(studio: Studio): string[] {
  return studio.fake.requests.filter((r) => r.method === "POST" && r.path === "/prompt")
    .map((r) => JSON.stringify(r.body));
}

/** A job of the node as the page's own session reads it (a reviewer's view). */
function jobsSeenBy(page: Page, projectId: string, nodeId: string) {
  return page.evaluate(async ({ projectId, nodeId }) => {
    const res = await fetch(`/api/projects/${projectId}/jobs?nodeId=${nodeId}`);
    const body = await res.json() as {
      jobs: { params: { prompt?: string }; graphRevision: number }[];
    };
    return body.jobs;
  }, { projectId, nodeId });
}

/** Holds what the room sends this page for `delayMs` (in order), as on a slow link. */
async function slowDownstream(page: Page, delayMs: () => number): Promise<void> {
  await page.routeWebSocket(/\/parties\/main\//, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    let chain = Promise.resolve();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const due = Date.now() + delayMs();
      chain = chain.then(() => new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()))))
        .then(() => ws.send(m));
    });
  });
  await page.reload();
}

Deno.test("Generate runs the graph the room holds now, with no wait for a flush", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const cleo = await studio.signUp("Cleo");
  const projectId = await projectWith(
    studio,
    ana,
    [{ user: ben, role: "editor" }, { user: cleo, role: "reviewer" }],
    graphOf([node("still", "image.generate", 80, 80, { prompt: "a pier at night" })]),
  );
  const agent = await studio.startAgent(ana);
  studio.fake.behaviour.stepMs = 20;
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  const r = await studio.open(cleo, `/projects/${projectId}`);
  await Promise.all([live(a), live(b), live(r)]);

  await t.step(
    "a node made and given a prompt, then Generate at once, runs that prompt",
    async () => {
      const prompt = "a lighthouse at dusk, typed a moment ago";
      // Dropped clear of the seeded node, so each keeps its Generate button in view.
      await a.getByTestId("palette-image.generate").dragTo(a.getByTestId("canvas"), {
        targetPosition: { x: 200, y: 520 },
      });
      const id =
        (await a.locator('[data-node-type="image.generate"]').evaluateAll((els) =>
          els.map((el) => el.getAttribute("data-testid")!.slice(5)).find((id) => id !== "still")
        ))!;
      await a.getByTestId(`param-${id}-prompt`).fill(prompt);
      await a.getByTestId(`generate-${id}`).click(); // the field commits as it loses focus
      try {
        for (const page of [a, r]) {
          await page.getByTestId(`takes-${id}`).locator("[data-testid^=take-]").first()
            .waitFor({ timeout: 30_000 });
        }
      } catch (e) {
        await studio.screenshot(a, "live-graph-failure-a");
        console.log(agent.output(), studio.logs().slice(-4000));
        throw e;
      }
      await studio.screenshot(r, "live-graph-reviewer-sees-take");
      const [job] = await jobsSeenBy(r, projectId, id);
      assert.equal(job?.params.prompt, prompt, "the reviewer sees the job with that prompt");
      assert.ok(promptsRun(studio).some((p) => p.includes(prompt)), "ComfyUI ran that prompt");
    },
  );

  await t.step(
    "two editors change the prompt just before Generate: the room's order wins",
    async () => {
      // Ana's screen hears of the room's messages 2 s late, so Ben's edit is not on it at the click.
      let delayMs = 0;
      await slowDownstream(a, () => delayMs);
      await live(a);
      for (const page of [b, r]) {
        await page.getByTestId("node-still").getByTestId("node-title")
          .click();
      }
      await a.getByTestId("node-still").getByTestId("node-title").click();
      delayMs = 2000;
      const field = (page: Page) => page.getByTestId("param-still-prompt");
      await field(a).fill("Ana's version");
      await field(a).blur();
      await until(
        "Ben to see Ana's edit",
        async () => await field(b).inputValue() === "Ana's version",
      );
      await field(b).fill("Ben's version");
      await field(b).blur();
      await until(
        "the room to order Ben's edit",
        async () => await field(r).inputValue() === "Ben's version",
      );
      assert.equal(await field(a).inputValue(), "Ana's version", "Ana has not heard of Ben's edit");
      const runsBefore = promptsRun(studio).length;
      await a.getByTestId("generate-still").click();
      await until("ComfyUI to get the run", () => promptsRun(studio).length > runsBefore, 30_000);
      assert.ok(promptsRun(studio).at(-1)!.includes("Ben's version"), "the job ran Ben's prompt");
      const [job] = await jobsSeenBy(r, projectId, "still");
      assert.equal(job?.params.prompt, "Ben's version");
      await until(
        "Ana's screen to catch up",
        async () => await field(a).inputValue() === "Ben's version",
      );
      delayMs = 0;
    },
  );

  await agent.stop();
});
