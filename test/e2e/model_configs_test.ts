/**
 * Docker models in the studio: Ana adds a model config from the starter (named for her model),
 * picks it under "Runs" on a still, and the card says before Generate whether an agent can run
 * it, in the words the queue would use: nobody online, then a tier the config does not
 * implement, then ready once an agent whose Docker runs the studio's models comes online. After a
 * reload the choice holds; a bad change (an unknown placeholder in the command) is refused with
 * the edge's message under the command field, and a good one is saved as v2. Ben, a reviewer,
 * reads the config without controls.
 */
import assert from "node:assert/strict";
import { agentProfile, enrollAgent } from "../jobs/fake_agent.ts";
import { graphOf, live, node, overHttp, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("a Docker model config is made in the studio, picked on a node and answered for on its card", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const projectId = await projectWith(
    studio,
    ana,
    [{ user: ben, role: "reviewer" }],
    graphOf([node("still", "image.generate", 120, 120, { prompt: "a lighthouse at dusk" })]),
  );
  const page = await studio.open(ana, `/projects/${projectId}`);
  await live(page);
  const card = page.getByTestId("availability-still");

  await t.step("a new model config starts from the starter and is added as v1", async () => {
    await page.getByTestId("tab-assets").click();
    await page.getByTestId("model-config-new").click();
    const form = page.getByTestId("model-config-form");
    await form.getByTestId("model-config-id").fill("ink-sketch");
    await form.getByTestId("model-config-title").fill("Ink sketch");
    await form.getByTestId("model-config-implements").fill(
      '[{ "nodeType": "image.generate", "tiers": ["low", "standard"] }]',
    );
    // What the form can tell alone stays on the field, and nothing is sent.
    await form.getByTestId("model-config-vramMiB").fill("lots");
    await form.getByTestId("model-config-save").click();
    await form.getByTestId("model-config-error-vramMiB").waitFor();
    await form.getByTestId("model-config-error-vramMiB").scrollIntoViewIfNeeded();
    await studio.screenshot(page, "model-config-new");
    await form.getByTestId("model-config-vramMiB").fill("6144");
    await form.getByTestId("model-config-save").click();
    await page.getByTestId("model-configs").getByText("v1").waitFor();
    assert.match(await page.getByTestId("model-configs").innerText(), /Ink sketch/);
  });

  await t.step(
    "picked on the still, the card says nobody can run it yet, then why not",
    async () => {
      await page.getByTestId("node-still").getByTestId("node-title").click();
      await page.getByTestId("inspector-workflow").selectOption({
        label: "Docker model: Ink sketch (v1, low/standard)",
      });
      await page.getByTestId("inspector-model-config-note").waitFor();
      await card.filter({ hasText: /no agent is online/ }).waitFor();
      assert.match(
        await card.innerText(),
        /^Your Docker model "Ink sketch" \(v1\) waits: no agent is online for this project/,
      );
      await page.getByTestId("tier-still").selectOption("high");
      await card.filter({ hasText: /cannot run this/ }).waitFor();
      assert.equal(
        await card.innerText(),
        'Your Docker model "Ink sketch" (v1) cannot run this: "Ink sketch" runs image.generate ' +
          "at low or standard, not high. Choose another tier.",
      );
      await page.getByTestId("tier-still").selectOption("standard");
      // An agent whose Docker runs the studio's models comes online: the card says so.
      const app = overHttp(studio);
      const profile = agentProfile({ backends: ["docker"], vramMiB: 8192 });
      const dockerProfile = {
        ...profile,
        backends: profile.backends.map((b) => ({ ...b, modelConfigs: true })),
      };
      const agent = await enrollAgent(app, ana, dockerProfile, "docker-box");
      // Online while it beats (the studio's edge counts an agent gone after 3 s of silence).
      const beating = setInterval(() => void agent.heartbeat(dockerProfile), 500);
      try {
        await card.filter({ hasText: /^Ready/ }).waitFor({ timeout: 15_000 });
        assert.equal(
          await card.innerText(),
          'Ready: 1 agent online can run your Docker model "Ink sketch" (v1).',
        );
      } finally {
        clearInterval(beating);
      }
      await studio.screenshot(page, "model-config-picked");
    },
  );

  await t.step(
    "after a reload the choice holds; a bad change is refused on its field",
    async () => {
      await page.reload();
      await live(page);
      await page.getByTestId("node-still").getByTestId("node-title").click();
      assert.equal(
        await page.getByTestId("inspector-workflow").locator("option:checked").innerText(),
        "Docker model: Ink sketch (v1, low/standard)",
      );
      await page.getByTestId("tab-assets").click();
      await page.getByTestId("model-configs").getByRole("button", { name: /Ink sketch/ }).click();
      const form = page.getByTestId("model-config-form");
      await form.getByTestId("model-config-command").fill(
        '["python", "run.py", "--colour", "{colour}", "--out", "{outputs}"]',
      );
      await form.getByTestId("model-config-save").click();
      const error = form.getByTestId("model-config-error-command");
      await error.waitFor();
      assert.match(await error.innerText(), /config\.command\.3: unknown placeholder \{colour\}/);
      assert.equal(
        await form.getByTestId("model-config-command").getAttribute("aria-invalid"),
        "true",
      );
      await error.scrollIntoViewIfNeeded();
      await studio.screenshot(page, "model-config-refused");
      await form.getByTestId("model-config-command").fill(
        '["python", "run.py", "--prompt={prompt}", "--out", "{outputs}"]',
      );
      await form.getByTestId("model-config-save").click();
      await page.getByTestId("model-configs").getByText("v2").waitFor();
      const { assets } = await studio.api<
        { assets: { params: { config: { command: string[] } } }[] }
      >(
        "GET",
        `/api/projects/${projectId}/assets?type=model-config`,
        ana.token,
      );
      assert.deepEqual(assets[0]!.params.config.command, [
        "python",
        "run.py",
        "--prompt={prompt}",
        "--out",
        "{outputs}",
      ]);
    },
  );

  await t.step("a reviewer reads the config and the choice, without controls", async () => {
    const b = await studio.open(ben, `/projects/${projectId}`);
    await live(b);
    await b.getByTestId("tab-assets").click();
    assert.equal(await b.getByTestId("model-config-new").count(), 0);
    await b.getByTestId("model-configs").getByRole("button", { name: /Ink sketch/ }).click();
    const form = b.getByTestId("model-config-form");
    assert.equal(await form.getByTestId("model-config-command").isDisabled(), true);
    assert.equal(await form.getByTestId("model-config-save").count(), 0);
    await b.getByTestId("availability-still").filter({ hasText: /Ink sketch/ }).waitFor();
    await studio.screenshot(b, "model-config-reviewer");
    await b.context().close();
  });
});
