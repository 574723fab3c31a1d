/**
 * Forms that never save what cannot run (issue 13): the inspector checks each value with the
 * node's rules before sending it and says what is wrong in words, every problem at once; nothing
 * refused reaches a teammate or survives a reload; "required" waits for Generate; a prompt over
 * its limit is kept and counted, not cut; and an error is said once.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { cspViolations, startStudio, until } from "./studio.ts";

const open = (page: Page, id: string) =>
  page.getByTestId(`node-${id}`).getByTestId("node-title").click();

/** Types into a number field and leaves it, as a person does. */
async function enter(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).fill(text);
  await page.getByTestId(testId).press("Tab");
}

Deno.test("the inspector refuses what cannot run, in words, all at once, and nothing refused is saved", async (t) => {
  await using studio = await startStudio();
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      node("shot", "shot.generate", 80, 80, { prompt: "a door", steps: 20 }),
      node("up", "upscale", 420, 80),
      node("up2", "upscale", 420, 330),
    ], {
      e1: {
        id: "e1",
        from: { node: "shot", socket: "video" },
        to: { node: "up2", socket: "video" },
      },
    }),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);
  const refusedByRoom = async () =>
    (await a.getByTestId("toast-text").allInnerTexts()).filter((t) => /refused/.test(t));

  await t.step(
    "four bad values: four messages at once, written for people; none sent",
    async () => {
      await open(a, "shot");
      await enter(a, "param-shot-steps", "2.5");
      await enter(a, "param-shot-cfg", "99");
      await enter(a, "param-shot-seed", "99999999999");
      await enter(a, "param-shot-width", "1004");
      const expected: Record<string, string> = {
        steps: "Steps: a whole number from 1 to 150",
        cfg: "CFG: a number from 0 to 30",
        seed: "Seed: a whole number from 0 to 4,294,967,295",
        width: "Width: a multiple of 8 from 64 to 4,096",
      };
      for (const [key, message] of Object.entries(expected)) {
        assert.equal(await a.getByTestId(`param-shot-${key}-error`).innerText(), message);
      }
      assert.equal(await a.getByTestId("param-shot-steps").inputValue(), "2.5", "kept to fix");
      await studio.screenshot(a, "forms-four-bad-values");
      assert.deepEqual(await refusedByRoom(), [], "nothing was sent for the room to refuse");
      await open(b, "shot");
      assert.equal(await b.getByTestId("param-shot-steps").inputValue(), "20");
      assert.equal(await b.getByTestId("param-shot-cfg").inputValue(), "6");
      assert.equal(await b.getByTestId("param-shot-seed").inputValue(), "");
      assert.equal(await b.getByTestId("param-shot-width").inputValue(), "832");
    },
  );

  await t.step("a reload shows what was saved: none of the refused values", async () => {
    await enter(a, "param-shot-steps", "30"); // a good value still goes through
    await until(
      "Ben to see steps 30",
      async () => (await b.getByTestId("param-shot-steps").inputValue()) === "30",
    );
    await a.reload();
    await live(a);
    await open(a, "shot");
    assert.equal(await a.getByTestId("param-shot-steps").inputValue(), "30");
    assert.equal(await a.getByTestId("param-shot-cfg").inputValue(), "6");
    assert.equal(await a.getByTestId("param-shot-width").inputValue(), "832");
    assert.equal(await a.getByTestId("param-shot-cfg-error").count(), 0);
  });

  await t.step(
    "a new node does not cry 'required' until Generate; then every problem shows",
    async () => {
      await a.getByTestId("palette-image.generate").click();
      const fresh = await a.locator("[data-node-type='image.generate']").getAttribute(
        "data-testid",
      );
      const id = fresh!.slice("node-".length);
      await a.getByTestId(`param-${id}-prompt`).waitFor();
      assert.equal(await a.getByTestId(`param-${id}-prompt-error`).count(), 0, "not before a try");
      await studio.screenshot(a, "forms-fresh-node-quiet");
      await enter(a, `param-${id}-steps`, "0");
      await a.getByTestId(`generate-${id}`).click();
      assert.equal(await a.getByTestId(`param-${id}-prompt-error`).innerText(), "Prompt: required");
      const summary = await a.getByTestId("inspector-problems").innerText();
      assert.match(summary, /Steps: a whole number from 1 to 150/);
      assert.match(summary, /Prompt: required/);
      assert.match(
        await a.getByTestId(`problems-${id}`).innerText(),
        /Before this can run: .*Prompt: required/,
      );
      await studio.screenshot(a, "forms-generate-says-what-is-missing");
      const { jobs } = await studio.api<{ jobs: unknown[] }>(
        "GET",
        `/api/projects/${projectId}/jobs`,
        ana.token,
      );
      assert.equal(jobs.length, 0, "nothing was queued");
      await a.getByTestId(`param-${id}-prompt`).fill("a lighthouse");
      await a.getByTestId(`param-${id}-prompt-error`).waitFor({ state: "detached" });
    },
  );

  await t.step("a 10,000-character prompt is kept and counted, not cut, and not sent", async () => {
    await open(a, "shot");
    const long = "fog ".repeat(2500);
    await a.getByTestId("param-shot-prompt").fill(long);
    await a.getByTestId("param-shot-prompt").press("Tab");
    assert.equal((await a.getByTestId("param-shot-prompt").inputValue()).length, 10_000);
    const counter = a.getByTestId("param-shot-prompt-counter");
    assert.equal(await counter.innerText(), "10,000 / 4,000");
    assert.match((await counter.getAttribute("class")) ?? "", /\bover\b/);
    assert.equal(
      await a.getByTestId("param-shot-prompt-error").innerText(),
      "Prompt: up to 4,000 characters",
    );
    await studio.screenshot(a, "forms-prompt-over-limit");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await b.getByTestId("param-shot-prompt").inputValue(), "a door", "Ben: unchanged");
    await a.getByTestId("param-shot-prompt").fill("a door in fog");
    await until(
      "the shorter prompt to reach Ben",
      async () => (await b.getByTestId("param-shot-prompt").inputValue()) === "a door in fog",
    );
  });

  await t.step(
    "an input that must be connected is said once, on the card and by the edge",
    async () => {
      await a.getByTestId("generate-up").click();
      const text = await a.getByTestId("problems-up").innerText();
      assert.equal(text, 'Before this can run: input "video" must be connected');
      // Connected to a shot with no take yet: the edge refuses, and says so once.
      await a.getByTestId("generate-up2").click();
      const error = a.getByTestId("error-up2");
      await error.waitFor();
      assert.equal(
        await error.innerText(),
        'input "video" has no take yet: generate the node connected to it first',
      );
      await studio.screenshot(a, "forms-error-said-once");
    },
  );
  assert.deepEqual(await refusedByRoom(), []);
  for (const page of [a, b]) assert.deepEqual(await cspViolations(page), []);
});
