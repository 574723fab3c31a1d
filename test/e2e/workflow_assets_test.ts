/**
 * The user's own ComfyUI workflows in the studio: Ana uploads a UI-format export and is told to
 * export with "Save (API)"; she uploads the API export, sees the mapping the studio detected
 * (which node inputs take the prompt, seed, steps; what it saves; which model files it needs),
 * picks it on a still's inspector, generates, and the agent runs her workflow: the take viewer
 * names the workflow version that ran.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { EXAMPLES_DIR } from "../fixtures/workflows/mod.ts";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

const SDXL = fileURLToPath(new URL("sdxl_text_to_image.json", EXAMPLES_DIR));
const UI_FORMAT = fileURLToPath(
  new URL("../fixtures/workflows/sdxl_ui_format.json", import.meta.url),
);

/** Each bound row's field path → the workflow input its select shows. */
async function boundTo(page: Page): Promise<Record<string, string>> {
  const rows = page.getByTestId("workflow-mapping").locator("select");
  const out: Record<string, string> = {};
  for (const select of await rows.all()) {
    const id = (await select.getAttribute("data-testid"))!.replace(/^mapping-/, "");
    out[id] = await select.locator("option:checked").innerText();
  }
  return out;
}

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
    await page.getByTestId("workflow-mapping").waitFor();
    assert.equal(await page.getByTestId("workflow-upload-error").count(), 0);
    // Nodes by their titles in the workflow (their class when untitled) and ids.
    assert.deepEqual(await boundTo(page), {
      "binding.params.prompt.0":
        "CLIP Text Encode (Prompt) #6 · text (STRING) = storyboard frame, a lighthouse",
      "binding.params.negativePrompt.0":
        "CLIP Text Encode (Negative) #7 · text (STRING) = blurry, low quality, watermark",
      "binding.params.seed.0": "KSampler #3 · seed (INT) = 0",
      "binding.params.steps.0": "KSampler #3 · steps (INT) = 25",
      "binding.params.cfg.0": "KSampler #3 · cfg (FLOAT) = 7",
      "binding.params.width.0": "Empty Latent Image #5 · width (INT) = 1024",
      "binding.params.height.0": "Empty Latent Image #5 · height (INT) = 1024",
    });
    assert.equal(await page.getByTestId("mapping-output-9").isChecked(), true);
    assert.equal(
      await page.getByTestId("mapping-model-file-0").inputValue(),
      "sd_xl_base_1.0.safetensors",
    );
    assert.equal(await page.getByTestId("mapping-model-folder-0").inputValue(), "checkpoints");
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
    // Before Generate, the card tells whether the workflow can run, at the workflow's tier.
    const card = page.getByTestId("availability-still");
    await card.filter({ hasText: /no agent is online/ }).waitFor();
    assert.match(
      await card.innerText(),
      /^Your workflow "SDXL ink" \(low\) waits: no agent is online/,
    );
    assert.equal(await page.getByTestId("inspector-availability").count(), 0);
    await studio.screenshot(page, "workflow-picked");
    const agent = await studio.startAgent(ana);
    await card.filter({ hasText: /^Ready: 1 agent online can run your workflow "SDXL ink"/ })
      .waitFor({ timeout: 15_000 });
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
    assert.equal(
      await page.getByTestId("take-runner").innerText(),
      'Workflow "SDXL ink", version 1',
    );
    await studio.screenshot(page, "workflow-take");
  });

  const openWorkflow = async () => {
    if (await page.getByTestId("take-viewer").count() > 0) await page.keyboard.press("Escape");
    await page.getByTestId("tab-assets").click();
    const details = page.getByTestId("workflow-details");
    if (await details.count() === 0) {
      await page.getByTestId("workflows").getByRole("button", { name: /SDXL ink/ }).click();
    }
    await page.getByTestId("workflow-mapping-editor").waitFor();
  };

  await t.step("the mapping is adjusted, saved as v2 and kept after a reload", async () => {
    await openWorkflow();
    // The workflow keeps its own CFG from now on, and needs a LoRA file its loader names.
    await page.getByTestId("mapping-remove-binding.params.cfg.0").click();
    await page.getByTestId("mapping-model-add").click();
    await page.getByTestId("mapping-model-folder-1").fill("loras");
    await page.getByTestId("mapping-model-file-1").fill("ink_wash.safetensors");
    await page.getByTestId("mapping-model-file-1").press("Tab");
    await page.getByTestId("mapping-save").click();
    await page.getByTestId("workflows").getByText("v2").waitFor();
    await studio.screenshot(page, "workflow-mapping-saved");
    await page.reload();
    await live(page);
    await openWorkflow();
    const bound = await boundTo(page);
    assert.equal(bound["binding.params.cfg.0"], undefined, "cfg stays unbound");
    assert.equal(bound["binding.params.seed.0"], "KSampler #3 · seed (INT) = 0");
    assert.equal(
      await page.getByTestId("mapping-model-file-1").inputValue(),
      "ink_wash.safetensors",
    );
    assert.equal(await page.getByTestId("mapping-model-folder-1").inputValue(), "loras");
  });

  await t.step(
    "a take's settings pin the node to the workflow version it ran; Run the newest unpins",
    async () => {
      await page.getByTestId("node-still").getByTestId("node-title").click();
      await page.getByTestId("takes-still").locator("[data-testid^=take-]").first().click();
      await page.getByTestId("take-viewer").waitFor();
      await page.getByTestId("use-settings").click();
      await page.keyboard.press("Escape");
      await page.getByTestId("node-still").getByTestId("node-title").click();
      const pin = page.getByTestId("inspector-workflow-pin");
      await pin.waitFor();
      assert.match(await pin.innerText(), /^Pinned to version 1 \(.*the newest is v2\)/);
      await studio.screenshot(page, "workflow-pinned");
      await pin.getByRole("button", { name: "Run the newest" }).click();
      await pin.waitFor({ state: "detached" });
    },
  );

  await t.step("before Generate, the card names the model file no online agent has", async () => {
    const agent = await studio.startAgent(ana);
    const card = page.getByTestId("availability-still");
    await card.filter({ hasText: /ink_wash/ }).waitFor({ timeout: 15_000 });
    assert.equal(
      await card.innerText(),
      'Your workflow "SDXL ink" (low) waits: no online agent has ' +
        '`ink_wash.safetensors` (workflow "SDXL ink" v2 needs it): put it in ComfyUI\'s ' +
        "models/loras. Generate queues it until one can.",
    );
    await card.click();
    await page.getByTestId("availability-still-full").waitFor();
    await studio.screenshot(page, "workflow-missing-model");
    await card.click();
    await page.getByTestId("availability-still-full").waitFor({ state: "detached" });
    // Pinned to v1 again (its take's settings), the card judges v1, which loads no LoRA.
    await page.getByTestId("takes-still").locator("[data-testid^=take-]").first().click();
    await page.getByTestId("take-viewer").waitFor();
    await page.getByTestId("use-settings").click();
    await page.keyboard.press("Escape");
    await card.filter({ hasText: /^Ready/ }).waitFor({ timeout: 15_000 });
    assert.equal(
      await card.innerText(),
      'Ready: 1 agent online can run your workflow "SDXL ink" (v1, low).',
    );
    await studio.screenshot(page, "workflow-pinned-ready");
    await page.getByTestId("inspector-workflow-pin")
      .getByRole("button", { name: "Run the newest" }).click();
    await card.filter({ hasText: /ink_wash/ }).waitFor({ timeout: 15_000 });
    await agent.stop();
  });

  await t.step("an invalid binding is refused with the problem on its row", async () => {
    await page.getByTestId("mapping-add-target").selectOption("param:cfg");
    await page.getByTestId("mapping-add-at").selectOption({
      label: "Save Image #9 · filename_prefix (STRING) = ComfyUI",
    });
    await page.getByTestId("mapping-add").click();
    await page.getByTestId("mapping-save").click();
    const error = page.getByTestId("mapping-error-binding.params.cfg.0");
    await error.waitFor();
    assert.equal(
      await error.innerText(),
      'SaveImage (node 9) input "filename_prefix" takes STRING; CFG is number',
    );
    await error.scrollIntoViewIfNeeded();
    await studio.screenshot(page, "workflow-mapping-invalid");
    const entry = page.getByTestId("workflows").getByRole("button", { name: /SDXL ink/ });
    assert.match(await entry.innerText(), /v2$/, "nothing saved: still version 2");
  });
});
