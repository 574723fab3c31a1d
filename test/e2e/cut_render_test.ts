/**
 * Rendering a cut from the timeline (issue 15), with Ana (owner), Ben (editor) and Cleo (a
 * reviewer by link): Ana builds a cut from two generated shots and presses Render; the job waits
 * for an agent, then runs on a real agent's ffmpeg while Ana and Ben watch its progress; the film
 * then plays in Ana's preview from the rendered file (its length the cut's), can be downloaded,
 * and is listed for everyone with its version, date and poster; a second render lists both, and
 * the older one still plays. Cleo sees the films but Render is off for her, with why.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import {
  anaWithEditorBen,
  generateTake,
  graphOf,
  live,
  reviewerByLink,
  shotNode,
} from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

interface Render {
  id: string;
  name: string;
  url: string;
  version: number;
  posterUrl: string | null;
  media: { durationSeconds: number } | null;
}

/** Keeps every percent the page's render progress bar shows, however briefly. */
function recordRenderProgress(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { __renderProgress: string[] }).__renderProgress = seen;
    new MutationObserver(() => {
      const bar = document.querySelector("[data-testid=render-progress]");
      const percent = bar?.getAttribute("aria-valuenow");
      if (percent && seen.at(-1) !== percent) seen.push(percent);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}
const renderProgress = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __renderProgress: string[] }).__renderProgress);

/** What the page's render player plays: its source's path and its length once known. */
function player(page: Page): Promise<{ path: string; duration: number }> {
  return page.getByTestId("render-player").evaluate((v) => {
    const video = v as HTMLVideoElement;
    return { path: new URL(video.currentSrc || "http://x/").pathname, duration: video.duration };
  });
}

Deno.test("the timeline renders the cut: progress live, the film plays and downloads, renders listed", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-render-" });
  const shot = (id: string, code: string, x: number) => shotNode(id, code, x, 48);
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([shot("wide", "SHOT-010", 80), shot("door", "SHOT-020", 420)]),
  );
  let agent = await studio.startAgent(ana);
  for (const [nodeId, colour] of [["wide", "red"], ["door", "blue"]]) {
    const file = await makeClip(`${dir}/${colour}.mp4`, {
      source: `color=c=${colour}`,
      rate: 16,
      seconds: 3,
    });
    studio.fake.behaviour.outputBytes = () => Deno.readFileSync(file);
    await generateTake(studio, ana, projectId, nodeId!);
  }
  // No agent for now: the render waits, so the page shows it queued.
  await agent.stop();
  let cutId = "";
  const renders = async () =>
    (await studio.api<{ takes: Render[] }>(
      "GET",
      `/api/projects/${projectId}/takes?nodeId=${cutId}`,
      ana.token,
    )).takes;

  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step("Render queues the cut; its progress shows live for Ana and Ben", async () => {
    await a.getByTestId("new-cut").click();
    await until("two clips", async () => (await a.locator(".video-lane .cut-clip").count()) === 2);
    assert.equal(await a.getByTestId("cut-timecode").innerText(), "00:00:00:00 / 00:00:06:00");
    cutId = await a.getByTestId("cut-select").inputValue();
    await until(
      "Ben sees the cut",
      async () => (await b.locator(".video-lane .cut-clip").count()) === 2,
    );
    assert.match(await a.getByTestId("render-list").innerText(), /No render of this cut yet/);
    await Promise.all([recordRenderProgress(a), recordRenderProgress(b)]);

    await a.getByTestId("render-cut").click();
    await until(
      "queued, waiting for an agent",
      async () =>
        /no agent is online/.test(
          await a.getByTestId("render-message").innerText().catch(() => ""),
        ),
    );
    assert.ok(await a.getByTestId("render-cut").isDisabled(), "one render at a time");
    await studio.screenshot(a, "cut-render-queued");

    agent = await studio.startAgent(ana);
    try {
      // Ben did not press Render: his bar moves with the agent's progress, through the room.
      await until(
        "Ben sees the render running",
        async () =>
          / · [1-9]\d*%/.test(await b.getByTestId("render-message").innerText().catch(() => "")),
        60_000,
      );
      await studio.screenshot(b, "cut-render-progress-ben");
      await until("a render", async () => (await renders()).length === 1, 60_000);
    } catch (e) {
      console.log(agent.output(), studio.logs().slice(-4000));
      throw e;
    }
    // The agent's progress reached both pages through the room, not only the presser's.
    for (const page of [a, b]) {
      await until(
        "progress seen",
        async () => (await renderProgress(page)).some((p) => Number(p) > 0),
      );
    }
  });

  await t.step(
    "the film plays in Ana's preview from the rendered file, the cut's length",
    async () => {
      const [film] = await renders();
      assert.equal(film!.name, "Main_v01.mp4");
      await until("the player", () => a.getByTestId("render-player").isVisible());
      await until("its length known", async () => Number.isFinite((await player(a)).duration));
      const played = await player(a);
      assert.equal(played.path, new URL(film!.url, studio.url).pathname);
      assert.ok(Math.abs(played.duration - 6) <= 1 / 24 + 0.01, `6 s long, got ${played.duration}`);
      // It plays: time moves on.
      await a.getByTestId("render-player").evaluate((v) => (v as HTMLVideoElement).play());
      await until(
        "playing",
        () =>
          a.getByTestId("render-player").evaluate((v) => (v as HTMLVideoElement).currentTime > 0.5),
      );
      const download = a.getByTestId(`render-download-${film!.id}`);
      assert.equal(await download.getAttribute("download"), "Main_v01.mp4");
      const file = await fetch(new URL((await download.getAttribute("href"))!, studio.url));
      assert.equal(file.status, 200);
      assert.equal(file.headers.get("content-type"), "video/mp4");
      await file.body?.cancel();
      await studio.screenshot(a, "cut-render-playing");
    },
  );

  await t.step("a second render lists both, newest first; the older one still plays", async () => {
    await a.getByTestId("render-cut").click();
    await until("a second render", async () => (await renders()).length === 2, 60_000);
    const [v2, v1] = await renders();
    assert.equal(v2!.name, "Main_v02.mp4");
    for (const page of [a, b]) {
      await until("both listed", async () => (await page.locator(".render-item").count()) === 2);
      const items = await page.locator(".render-item").evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-testid"))
      );
      assert.deepEqual(items, [`render-${v2!.id}`, `render-${v1!.id}`]);
      const label = await page.getByTestId(`render-play-${v1!.id}`).innerText();
      assert.match(label, /^v01\n/);
      // The poster is an image the browser drew.
      await until(
        "poster drawn",
        () =>
          page.getByTestId(`render-play-${v1!.id}`).locator("img").evaluate((img) =>
            (img as HTMLImageElement).naturalWidth > 0
          ),
      );
    }
    await b.getByTestId(`render-play-${v1!.id}`).click();
    await until("Ben plays v01", async () => {
      const { path } = await player(b).catch(() => ({ path: "" }));
      return path === new URL(v1!.url, studio.url).pathname;
    });
    await studio.screenshot(b, "cut-render-ben-plays-v01");
    await b.getByTestId("render-close").click();
    assert.equal(await b.getByTestId("render-player").count(), 0);
  });

  await t.step("a reviewer watches the films but cannot render, and is told why", async () => {
    const c = await reviewerByLink(studio, ana, projectId);
    await until(
      "Cleo sees both films",
      async () => (await c.locator(".render-item").count()) === 2,
    );
    assert.ok(await c.getByTestId("render-cut").isDisabled());
    assert.match(await c.getByTestId("render-why").innerText(), /editors and owners/);
    const [newest] = await renders();
    await c.getByTestId(`render-play-${newest!.id}`).click();
    await until("Cleo's player", async () => Number.isFinite((await player(c)).duration));
    await studio.screenshot(c, "cut-render-reviewer");
  });

  await t.step("a queued render can be canceled, and Ben sees it canceled", async () => {
    await agent.stop();
    await a.getByTestId("render-cut").click();
    await until(
      "queued",
      async () => /no agent is online/.test(await a.getByTestId("render-message").innerText()),
    );
    await a.getByTestId("render-cancel").click();
    await until("canceled", () => a.getByTestId("render-canceled").isVisible());
    await until(
      "Ben sees it canceled",
      async () =>
        /canceled by Ana/.test(await b.getByTestId("render-canceled").innerText().catch(() => "")),
    );
    assert.ok(await a.getByTestId("render-cut").isEnabled(), "Render again");
    assert.equal((await renders()).length, 2);
    await studio.screenshot(b, "cut-render-canceled-ben");
  });
  await Deno.remove(dir, { recursive: true });
});
