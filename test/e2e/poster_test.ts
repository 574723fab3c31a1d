/**
 * A generated shot's take shows its poster frame on the node card at once (the agent made it
 * with ffmpeg), instead of an empty box until the video's metadata loads; reloading the page
 * shows it again from the edge's take list.
 */
import assert from "node:assert/strict";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("a video take shows its poster frame on the node card, live and after a reload", async () => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-poster-" });
  try {
    // What ComfyUI "renders": a real MP4, so the agent's ffmpeg can read it.
    studio.fake.behaviour.outputBytes = () => clip;
    const clip = await Deno.readFile(
      await makeClip(`${dir}/shot.mp4`, {
        source: "color=c=orange",
        draw: "drawbox=x=60:y=40:w=200:h=160:color=navy:t=fill",
        size: "832x480",
        rate: 16,
        seconds: 2,
      }),
    );
    const ana = await studio.signUp("Ana");
    const projectId = await projectWith(
      studio,
      ana,
      [],
      graphOf([node("shot", "shot.generate", 80, 80, { prompt: "a lighthouse" })]),
    );
    const agent = await studio.startAgent(ana);
    const page = await studio.open(ana, `/projects/${projectId}`);
    await live(page);
    await page.getByTestId("generate-shot").click();
    const thumb = page.getByTestId("takes-shot").locator("[data-testid^=take-] video").first();
    try {
      await thumb.waitFor({ timeout: 60_000 });
    } catch (e) {
      console.log(agent.output(), studio.logs().slice(-4000));
      throw e;
    }
    const shown = async () => {
      const video = page.getByTestId("takes-shot").locator("[data-testid^=take-] video").first();
      const poster = await video.getAttribute("poster");
      assert.ok(poster, "the video has a poster");
      // The browser fetched it as an image it can draw.
      const size = await page.evaluate(async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, poster);
      assert.deepEqual(size, [480, 276], "a 480-px frame of the 832x480 take");
      assert.equal(await video.getAttribute("preload"), "none", "the video waits for a hover");
    };
    await shown();
    await studio.screenshot(page, "poster-live");
    await page.reload();
    await live(page);
    await page.getByTestId("takes-shot").locator("[data-testid^=take-] video").first().waitFor();
    await shown();
    await studio.screenshot(page, "poster-after-reload");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
