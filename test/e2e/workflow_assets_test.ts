/**
 * The user's own ComfyUI workflows in the studio: Ana uploads a UI-format export and is told to
 * export with "Save (API)"; she uploads the API export, sees the mapping the studio detected
 * (which node inputs take the prompt, seed, steps; what it saves; which model files it needs),
 * picks it on a still's inspector, generates, and the agent runs her workflow: the take viewer
 * names the workflow version that ran.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { EXAMPLES_DIR } from "../fixtures/workflows/mod.ts";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

const SDXL = fileURLToPath(new URL("sdxl_text_to_image.json", EXAMPLES_DIR));
const UI_FORMAT = fileURLToPath(
  new URL("../fixtures/workflows/sdxl_ui_format.json", import.meta.url),
);

Deno.test("a workflow is uploaded, its mapping shown, picked on a node and run by the agent", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("still", "image.generate", 120, 120, { prompt: "a lighthouse at dusk" })]),
  );
  const page = await studio.open(ana, `/projects/${projectId}`);
  await live(page);
  await page.getByTestId("tab-assets").click();

  await t.step("a UI-format export is refused, saying how to export it", async () => {
    await page.getByTestId("workflow-file").setInputFiles(UI_FORMAT);
    await page.getByTestId("workflow-submit").click();
    const error = page.getByTestId("workflow-upload-error");
    await error.waitFor();
    assert.match(await error.innerText(), /Save \(API\)/);
    await studio.screenshot(page, "workflow-ui-format-refused");
  });

  await t.step("the API export is stored and its detected mapping shown", async () => {
    await page.getByTestId("workflow-file").setInputFiles(SDXL);
    await page.getByTestId("workflow-name").fill("SDXL ink");
    await page.getByTestId("workflow-node-type").selectOption("image.generate");
    await page.getByTestId("workflow-tier").selectOption("low");
    await page.getByTestId("workflow-submit").click();
    const mapping = page.getByTestId("workflow-mapping");
    await mapping.waitFor();
    assert.equal(await page.getByTestId("workflow-upload-error").count(), 0);
    const text = await mapping.innerText();
    // Nodes by their titles in the workflow (their class when untitled) and ids.
    assert.match(text, /^prompt → CLIP Text Encode \(Prompt\) #6 text$/m);
    assert.match(text, /^negativePrompt → CLIP Text Encode \(Negative\) #7 text$/m);
    assert.match(text, /^seed → KSampler #3 seed$/m);
    assert.match(text, /^take ← Save Image #9$/m);
    assert.match(
      await page.getByTestId("workflow-models").innerText(),
      /models\/checkpoints\/sd_xl_base_1\.0\.safetensors/,
    );
    assert.match(await page.getByTestId("workflow-summary").innerText(), /image\.generate.*low/);
    await studio.screenshot(page, "workflow-uploaded");
  });

  await t.step("picked on the still, it runs on the agent and the take names it", async () => {
    await page.getByTestId("node-still").getByTestId("node-title").click();
    await page.getByTestId("inspector-workflow").selectOption({
      label: "Workflow: SDXL ink (v1, low)",
    });
    await page.getByTestId("inspector-workflow-note").waitFor();
    // The card's tier does not apply: the workflow runs at its own.
    assert.equal(await page.getByTestId("tier-still").isDisabled(), true);
    assert.match(await page.getByTestId("availability-still").innerText(), /its own tier/);
    assert.equal(await page.getByTestId("inspector-availability").count(), 0);
    await studio.screenshot(page, "workflow-picked");
    const agent = await studio.startAgent(ana);
    await page.getByTestId("generate-still").click();
    const thumb = page.getByTestId("takes-still").locator("[data-testid^=take-]").first();
    await thumb.waitFor({ timeout: 30_000 });
    await agent.stop();
    const prompt = studio.fake.requests.find((r) => r.method === "POST" && r.path === "/prompt");
    const sent = (prompt?.body as { prompt: Record<string, { inputs: Record<string, unknown> }> })
      .prompt;
    assert.equal(sent["6"]!.inputs.text, "a lighthouse at dusk", "the node's prompt, bound");
    assert.equal(sent["3"]!.inputs.sampler_name, "dpmpp_2m", "the workflow's own sampler");
    assert.equal(sent["3"]!.inputs.steps, 25, "the workflow's own steps: the node sets none");
    await thumb.click();
    await page.getByTestId("take-viewer").waitFor();
    assert.equal(await page.getByTestId("take-template").innerText(), 'workflow "SDXL ink" v1');
    await studio.screenshot(page, "workflow-take");
  });
});
