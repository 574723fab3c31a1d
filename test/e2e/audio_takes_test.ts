/**
 * Sound in the studio: Generate on an Audio node runs the agent's Stable Audio Open template on
 * the fake ComfyUI (which saves a real MP3 under "audio", as ComfyUI does), and the take shows
 * as a player that loads and plays, on the node and in the inspector.
 */
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

/** The player's state as the browser sees it. */
function playerState(audio: Locator) {
  return audio.evaluate((el: HTMLAudioElement) => ({
    readyState: el.readyState,
    duration: el.duration,
    currentTime: el.currentTime,
    paused: el.paused,
    error: el.error?.message ?? null,
    src: el.currentSrc,
  }));
}

Deno.test("an audio take plays in the studio", async () => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("rain", "audio.generate", 80, 80, { prompt: "rain on a tin roof", seconds: 8 })]),
  );
  const agent = await studio.startAgent(ana);
  const page = await studio.open(ana, `/projects/${projectId}`);
  await live(page);
  await page.getByTestId("generate-rain").click();
  const take = page.getByTestId("takes-rain").locator("[data-testid^=take-]").first();
  try {
    await take.waitFor({ timeout: 30_000 });
  } catch (error) {
    await studio.screenshot(page, "audio-take-failure");
    console.log(agent.output(), studio.logs().slice(-4000));
    throw error;
  }
  const audio = take.locator("audio");
  assert.equal(await audio.count(), 1, "the take is a player");
  assert.equal(await audio.getAttribute("controls"), "");
  const loaded = await audio.evaluate((el: HTMLAudioElement) =>
    new Promise<void>((resolve, reject) => {
      if (el.readyState >= 1) return resolve();
      el.addEventListener("loadedmetadata", () => resolve(), { once: true });
      el.addEventListener("error", () => reject(new Error(el.error?.message)), { once: true });
    })
  ).then(() => playerState(audio));
  assert.equal(loaded.error, null);
  assert.ok(loaded.duration > 0.5 && loaded.duration < 2, `one second of tone: ${loaded.duration}`);
  // A click is the user's gesture the browser asks for before sound plays.
  await take.click();
  await audio.evaluate((el: HTMLAudioElement) => el.play());
  await page.waitForFunction(
    (el) => (el as HTMLAudioElement).currentTime > 0.2,
    await audio.elementHandle(),
    { timeout: 10_000 },
  );
  const playing = await playerState(audio);
  assert.ok(playing.currentTime > 0.2, `it played: ${JSON.stringify(playing)}`);
  await studio.screenshot(page, "audio-take-on-node");

  await page.getByTestId("node-rain").getByTestId("node-title").click();
  const listed = page.locator(".take-list audio").first();
  await listed.waitFor();
  assert.equal((await playerState(listed)).error, null);
  await studio.screenshot(page, "audio-take-in-inspector");
});
