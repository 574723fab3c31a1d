/**
 * Reference images on library assets (issue 13), with Ana (owner), Ben (editor) and Cleo (a
 * reviewer by link): images go in by file picker, drag and drop, and paste, each change a new
 * version whose line says what changed; a file that is not an image is refused by name; linking
 * the asset to a node keeps the node's title; the asset's image feeds the shot's reference input
 * (the agent uploads it to ComfyUI and runs the image-to-video template), and the take viewer
 * names the asset version it used. Cleo sees the images and cannot change them.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { anaWithEditorBen, graphOf, link, live, node, reviewerByLink } from "./helpers.ts";
import { cspViolations, startStudio, until } from "./studio.ts";

async function png(path: string, colour: string): Promise<Buffer> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      `color=c=${colour}:s=96x96`,
      "-frames:v",
      "1",
      path,
    ],
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return Buffer.from(await Deno.readFile(path));
}

/** Sends `bytes` as a file to the page in a drop or paste event on `testId`. */
function sendFile(
  page: Page,
  how: "drop" | "paste",
  testId: string,
  file: { name: string; type: string; bytes: Uint8Array },
) {
  return page.evaluate(([how, testId, name, type, bytes]) => {
    const data = new DataTransfer();
    data.items.add(
      new File([new Uint8Array(bytes as number[])], name as string, { type: type as string }),
    );
    const target = document.querySelector(`[data-testid="${testId}"]`)!;
    const event = how === "drop"
      ? new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true })
      : new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
  }, [how, testId, file.name, file.type, [...file.bytes]] as const);
}

async function openAsset(page: Page, name: string): Promise<void> {
  await page.getByTestId("tab-assets").click();
  await page.getByTestId("assets-panel").getByRole("button", { name }).click();
  await page.getByTestId("asset-editor").waitFor();
}

Deno.test("reference images: picked, dropped and pasted, versioned, linked without renaming, fed to the shot", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir();
  const red = await png(`${dir}/red.png`, "red");
  const green = await png(`${dir}/green.png`, "green");
  const blue = await png(`${dir}/blue.png`, "blue");
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf(
      [
        { ...node("hero", "asset.character", 80, 120), title: "Hero" },
        node("shot", "shot.generate", 460, 80, { prompt: "the hero at the door" }),
      ],
      link("e1", "hero", "image", "shot", "reference"),
    ),
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);
  const images = (page: Page) => page.getByTestId("asset-images").getByTestId("asset-image");

  await t.step(
    "images go in by file picker, drop and paste; each change is a version",
    async () => {
      await a.getByTestId("tab-assets").click();
      await a.getByTestId("asset-create-type").selectOption("character");
      await a.getByTestId("asset-create-name").fill("Rey");
      await a.getByTestId("asset-create").click();
      await a.getByTestId("asset-editor").waitFor();
      await a.getByTestId("asset-image-input").setInputFiles({
        name: "red.png",
        mimeType: "image/png",
        buffer: red,
      });
      await until("the picked image", async () => (await images(a).count()) === 1);
      await sendFile(a, "drop", "asset-images", {
        name: "green.png",
        type: "image/png",
        bytes: green,
      });
      await until("the dropped image", async () => (await images(a).count()) === 2);
      await sendFile(a, "paste", "asset-editor", {
        name: "blue.png",
        type: "image/png",
        bytes: blue,
      });
      await until("the pasted image", async () => (await images(a).count()) === 3);
      await a.getByTestId("asset-version-4").waitFor();
      for (const v of [2, 3, 4]) {
        assert.equal(
          await a.getByTestId(`asset-version-${v}-changes`).innerText(),
          "added 1 reference image",
        );
      }
      await studio.screenshot(a, "asset-images-three");
    },
  );

  await t.step(
    "a file that is not an image is refused by name; removing one is a version",
    async () => {
      await a.getByTestId("asset-image-input").setInputFiles({
        name: "notes.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("not a picture"),
      });
      await a.getByTestId("toast").filter({ hasText: '"notes.txt" is not an image' }).waitFor();
      assert.equal(await images(a).count(), 3);
      await a.getByTestId("asset-image-remove-1").click();
      await until("two images", async () => (await images(a).count()) === 2);
      assert.equal(
        await a.getByTestId("asset-version-5-changes").innerText(),
        "removed 1 reference image",
      );
      await studio.screenshot(a, "asset-images-versions");
    },
  );

  await t.step("linking the asset keeps the node's title, for everyone", async () => {
    await a.getByTestId("node-hero").getByTestId("node-title").click();
    await a.getByTestId("inspector-asset").selectOption({ label: "Rey (v5)" });
    for (const page of [a, b]) {
      await page.getByTestId("node-hero").getByTestId("node-asset").filter({ hasText: "Rey" })
        .waitFor();
      assert.equal(
        await page.getByTestId("node-hero").getByTestId("node-title").innerText(),
        "Hero",
      );
    }
    assert.equal(await a.getByTestId("inspector-title").inputValue(), "Hero");
    await studio.screenshot(b, "asset-linked-keeps-title");
  });

  await t.step(
    "the asset's image feeds the shot's reference; the take names the version",
    async () => {
      const agent = await studio.startAgent(ana);
      await b.getByTestId("generate-shot").click();
      const thumb = b.getByTestId("takes-shot").locator("[data-testid^=take-]").first();
      await thumb.waitFor({ timeout: 30_000 });
      await agent.stop();
      const upload = studio.fake.requests.find((r) =>
        r.method === "POST" && r.path === "/upload/image"
      );
      assert.ok(upload, "the agent uploaded the reference to ComfyUI");
      const sent = studio.fake.file({
        filename: (upload.body as { image: string }).image,
        subfolder: (upload.body as { subfolder: string }).subfolder,
        type: "input",
      });
      assert.deepEqual(sent, new Uint8Array(red), "the asset's first image, byte for byte");
      await thumb.click();
      await b.getByTestId("take-viewer").waitFor();
      assert.equal(await b.getByTestId("take-template").innerText(), "shot.generate.standard.i2v");
      assert.equal(
        await b.getByTestId("take-inputs").innerText(),
        "reference: Character Rey, version 5 (its reference image)",
      );
      await studio.screenshot(b, "asset-take-inputs");
      await b.keyboard.press("Escape");
    },
  );

  await t.step(
    "a reviewer by link sees the images and versions and cannot change them",
    async () => {
      const c = await reviewerByLink(studio, ana, projectId);
      await openAsset(c, "Rey");
      await until("the images", async () => (await images(c).count()) === 2);
      assert.equal(await c.getByTestId("asset-image-add").count(), 0, "no way to add");
      assert.equal(await c.getByTestId("asset-image-remove-0").count(), 0, "nor to remove");
      const loaded = await images(c).first().evaluate((img) =>
        (img as HTMLImageElement).naturalWidth
      );
      assert.equal(loaded, 96, "the thumbnail loads from its signed URL");
      await studio.screenshot(c, "asset-images-reviewer");
      for (const page of [a, b, c]) assert.deepEqual(await cspViolations(page), []);
    },
  );
});
