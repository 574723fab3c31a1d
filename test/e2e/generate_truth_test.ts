/**
 * Generate that says the truth before you press it (issue 13), and the preview frames of issue
 * 12, with real agent processes and the fake ComfyUI: before Generate a node says whether an
 * agent online can run it at its tier and why not, in full on the card and in the inspector; a
 * tier lowered by the edge is shown while it runs and on the take; the parameters a tier's
 * template ignores are off, and the take records what ran; Cancel has its own spot; and the
 * card shows ComfyUI's preview frames while the job runs, for everyone, within the page's CSP.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { cspViolations, startStudio, until } from "./studio.ts";

const NO_AGENT = "No online agent can run this at standard: no agent is online for this " +
  "project: start one with `deno task agent run`. Generate queues it until one can.";

const select = (page: Page, id: string) =>
  page.getByTestId(`node-${id}`).getByTestId("node-title").click();

async function jobsOf(
  studio: Awaited<ReturnType<typeof startStudio>>,
  projectId: string,
  token: string,
) {
  const { jobs } = await studio.api<{ jobs: { state: string; tier: string }[] }>(
    "GET",
    `/api/projects/${projectId}/jobs`,
    token,
  );
  return jobs;
}

Deno.test("before Generate a node tells whether and where it can run, and a run shows what really happens", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      node("still", "image.generate", 80, 80, { prompt: "a lighthouse at dusk", steps: 30 }),
    ]),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step(
    "no agent online: the card says so, and the whole reason opens on it and in the inspector",
    async () => {
      for (const page of [a, b]) {
        const note = page.getByTestId("availability-still");
        await until("the availability note", async () => (await note.innerText()) === NO_AGENT);
      }
      const clipped = await a.getByTestId("availability-still").evaluate((el) =>
        el.scrollHeight > el.clientHeight + 1
      );
      assert.ok(clipped, "the card has room for two lines only");
      await a.getByTestId("availability-still").click();
      assert.equal(await a.getByTestId("availability-still-full").innerText(), NO_AGENT);
      const full = await a.getByTestId("availability-still-full").boundingBox();
      assert.ok(full && full.height > 40, "opened in full, over the canvas");
      await studio.screenshot(a, "truth-no-agent-card-open");
      await select(b, "still");
      assert.equal(await b.getByTestId("inspector-availability").innerText(), NO_AGENT);
      await studio.screenshot(b, "truth-no-agent-inspector");
    },
  );

  const small = await studio.startAgent(ana, "desk-16gb", { MD_VRAM_MIB: "16376" });

  await t.step(
    "a 16 GB agent: standard is ready; high says it would run at standard, and why",
    async () => {
      const ready = "Ready: 1 agent online can run this at standard.";
      for (const page of [a, b]) {
        await until(
          "the agent to be seen",
          async () => (await page.getByTestId("availability-still").innerText()) === ready,
          30_000,
        );
      }
      await a.getByTestId("tier-still").selectOption("high");
      assert.equal(
        await a.getByTestId("availability-still").innerText(),
        "Runs at standard, not high: needs 24 GB of VRAM; the largest online GPU has 16 GB.",
      );
      await studio.screenshot(a, "truth-downgrade-before-generate");
    },
  );

  await t.step(
    "parameters the tier's template does not read are off, with why; the take records what ran",
    async () => {
      await a.getByTestId("tier-still").selectOption("standard");
      await select(a, "still");
      for (const key of ["steps", "cfg", "negativePrompt"]) {
        assert.ok(await a.getByTestId(`param-still-${key}`).isDisabled(), `${key} is off`);
        assert.equal(
          await a.getByTestId(`param-still-${key}-unused`).innerText(),
          "Not used at standard: the template agents run there does not read it",
        );
      }
      assert.ok(await a.getByTestId("param-still-prompt").isEnabled());
      await a.getByTestId("tier-still").selectOption("low");
      await a.getByTestId("param-still-steps-unused").waitFor({ state: "detached" });
      assert.ok(
        await a.getByTestId("param-still-steps").isEnabled(),
        "the low template reads steps",
      );
      await a.getByTestId("tier-still").selectOption("standard");
      await studio.screenshot(a, "truth-unused-params");
      await a.getByTestId("generate-still").click();
      const take = a.getByTestId("takes-still").locator("[data-testid^=take-]").first();
      await take.waitFor({ timeout: 30_000 });
      const { takes } = await studio.api<
        { takes: { lineage: { params: Record<string, unknown> } }[] }
      >(
        "GET",
        `/api/projects/${projectId}/takes`,
        ana.token,
      );
      assert.equal(takes[0]?.lineage.params.steps, undefined, "steps did not run");
      assert.equal(takes[0]?.lineage.params.prompt, "a lighthouse at dusk");
    },
  );

  await t.step(
    "asked for high, run at standard: the run and the take say so, for both",
    async () => {
      studio.fake.behaviour.stepMs = 150;
      await a.getByTestId("tier-still").selectOption("high");
      await a.getByTestId("generate-still").click();
      for (const page of [a, b]) {
        const lowered = page.getByTestId("downgrade-still");
        await lowered.waitFor({ timeout: 20_000 });
        assert.equal(await lowered.innerText(), "high→standard: largest online GPU 16 GB");
      }
      await studio.screenshot(b, "truth-downgrade-while-running");
      await a.getByTestId("progress-still").waitFor({ state: "detached", timeout: 30_000 });
      const [job] = await jobsOf(studio, projectId, ana.token);
      assert.deepEqual([job?.state, job?.tier], ["succeeded", "standard"]);
      await select(b, "still");
      const lowered = b.locator("[data-testid^=take-lowered-]").first();
      await lowered.waitFor();
      await lowered.scrollIntoViewIfNeeded();
      assert.equal(
        await lowered.innerText(),
        "Ran at standard, not high (high→standard: largest online GPU 16 GB)",
      );
      await studio.screenshot(b, "truth-downgrade-on-take");
    },
  );

  await t.step(
    "the card shows ComfyUI's preview frames while the job runs, for both, within the CSP",
    async () => {
      studio.fake.behaviour.stepMs = 300;
      await a.getByTestId("tier-still").selectOption("standard");
      await a.getByTestId("generate-still").click();
      for (const page of [a, b]) {
        const preview = page.getByTestId("preview-still");
        await preview.waitFor({ timeout: 20_000 });
        await until(
          "the preview frame to load",
          () => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0),
        );
      }
      await studio.screenshot(b, "truth-preview-frame");
      for (const page of [a, b]) assert.deepEqual(await cspViolations(page), []);
    },
  );

  await t.step(
    "Generate and Cancel have spots of their own: a double click on Cancel starts nothing",
    async () => {
      await a.getByTestId("progress-still").waitFor({ state: "detached", timeout: 30_000 });
      studio.fake.behaviour.stepMs = 500;
      await a.getByTestId("generate-still").click();
      await a.getByTestId("cancel-still").waitFor();
      await until(
        "the job to run",
        async () => (await jobsOf(studio, projectId, ana.token))[0]?.state === "running",
      );
      const generate = (await a.getByTestId("generate-still").boundingBox())!;
      const cancel = (await a.getByTestId("cancel-still").boundingBox())!;
      const overlap = generate.x < cancel.x + cancel.width &&
        cancel.x < generate.x + generate.width &&
        generate.y < cancel.y + cancel.height && cancel.y < generate.y + generate.height;
      assert.ok(!overlap, `Generate ${JSON.stringify(generate)}, Cancel ${JSON.stringify(cancel)}`);
      const before = (await jobsOf(studio, projectId, ana.token)).length;
      const at = { x: cancel.x + cancel.width / 2, y: cancel.y + cancel.height / 2 };
      await a.mouse.click(at.x, at.y);
      await a.getByTestId("cancel-still").waitFor({ state: "detached", timeout: 15_000 });
      await a.mouse.click(at.x, at.y); // the second click of a slow double click
      await new Promise((r) => setTimeout(r, 1_000));
      const jobs = await jobsOf(studio, projectId, ana.token);
      assert.equal(jobs.length, before, "no job was started");
      assert.equal(jobs[0]?.state, "canceled");
      await studio.screenshot(a, "truth-after-double-click-cancel");
    },
  );

  await small.stop();
});
