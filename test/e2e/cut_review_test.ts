/**
 * A cut's review page (issue 18), with Ana (owner) and Cleo (a reviewer by link) in two browser
 * contexts: the cut's render plays on `/review/:projectId/:cutId`; Cleo plays it, presses C while
 * it plays (it pauses, and the composer is at the frame shown) and comments; Ana sees the marker
 * at that frame live, clicks it and her player seeks there; after a reload it is all still there.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { DEFAULT_CUT_FORMAT } from "../../protocol/cut.ts";
import { cutFromGraph } from "../../protocol/cut_from_graph.ts";
import {
  anaWithEditorBen,
  generateTake,
  graphOf,
  node,
  reviewerByLink,
  shotNode,
} from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** One shot of 3 s: 72 frames of the cut at 24 fps. */
const CUT_FRAMES = 72;

async function readout(page: Page): Promise<string> {
  return await page.getByTestId("frame-readout").innerText();
}

async function openCut(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByTestId("cut-review-page").waitFor();
  await until("the film's length", async () => (await readout(page)).includes(`/ ${CUT_FRAMES}`));
}

Deno.test("cut review: Cleo pauses the film with C and comments; Ana sees the marker live and seeks to it", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-cut-review-" });
  const shot = node("wide", "shot.generate", 80, 80, {
    prompt: "a harbour",
    scene: "SC01",
    shot: "SHOT-010",
    fps: 16,
    frames: 48,
  });
  const graph = graphOf([shot]);
  const main = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
  const { ana, projectId } = await anaWithEditorBen(studio, { ...graph, cuts: { main } });
  const agent = await studio.startAgent(ana);
  const clip = await makeClip(`${dir}/wide.mp4`, { source: "color=c=teal", rate: 16, seconds: 3 });
  studio.fake.behaviour.outputBytes = () => Deno.readFileSync(clip);
  try {
    await generateTake(studio, ana, projectId, "wide");
    await studio.api("POST", `/api/projects/${projectId}/cuts/main/render`, ana.token);
    await until(
      "the cut's render",
      async () =>
        (await studio.api<{ takes: unknown[] }>(
          "GET",
          `/api/projects/${projectId}/takes?nodeId=main`,
          ana.token,
        )).takes.length === 1,
      90_000,
    );
  } catch (e) {
    console.log(agent.output(), studio.logs().slice(-4000));
    throw e;
  } finally {
    await agent.stop();
  }

  const path = `${studio.url}/review/${projectId}/main`;
  const c = await reviewerByLink(studio, ana, projectId, "Cleo");
  await openCut(c, path);
  const a = await studio.open(ana, `/review/${projectId}/main`);
  await a.getByTestId("cut-review-page").waitFor();
  await until("Ana's film", async () => (await readout(a)).includes(`/ ${CUT_FRAMES}`));
  let threadId = "";
  let frame = -1;

  await t.step(
    "Cleo plays the film, presses C while it plays and comments at that frame",
    async () => {
      assert.equal(await c.getByTestId("cut-review-title").innerText(), "Main");
      await c.getByTestId("play").click();
      await until(
        "playing past frame 10",
        async () => Number(/^frame (\d+)/.exec(await readout(c))?.[1]) > 10,
      );
      await c.keyboard.press("c");
      await until(
        "paused",
        async () => (await c.getByTestId("play").getAttribute("aria-label")) === "Play",
      );
      frame = Number(/^frame (\d+)/.exec(await readout(c))![1]) - 1;
      assert.ok(frame > 9 && frame < CUT_FRAMES, `paused at frame ${frame}`);
      const at = /\d\d:\d\d:\d\d:\d\d/.exec(await readout(c))![0];
      const where = await c.getByTestId("composer-where").innerText();
      assert.ok(where.startsWith(`At ${at}`), `the composer is at ${at}: ${where}`);
      await c.getByTestId("comment-input").fill("Hold on the boat a beat longer");
      await c.getByTestId("comment-post").click();
      const thread = c.locator("[data-testid^=thread-]").first();
      await thread.waitFor();
      threadId = (await thread.getAttribute("data-testid"))!.slice("thread-".length);
      assert.equal(await thread.getByTestId("thread-seek").innerText(), at);
      assert.equal(await thread.getByTestId("comment-author").innerText(), "Cleo (guest)");
      assert.equal(
        await c.getByTestId(`marker-${threadId}`).getAttribute("data-frame"),
        String(frame),
      );
      await studio.screenshot(c, "cut-review-reviewer-commented");
    },
  );

  await t.step(
    "Ana sees the marker at that frame live; clicking it seeks her player there",
    async () => {
      const marker = a.getByTestId(`marker-${threadId}`);
      await marker.waitFor();
      assert.equal(await marker.getAttribute("data-frame"), String(frame));
      assert.match(await readout(a), /^frame 1 \//);
      await marker.click();
      await until(
        `frame ${frame} shown`,
        async () => (await readout(a)).startsWith(`frame ${frame + 1} / ${CUT_FRAMES}`),
      );
      await a.getByTestId(`thread-${threadId}`).getByText("Hold on the boat a beat longer")
        .waitFor();
      await studio.screenshot(a, "cut-review-owner-seeked");
    },
  );

  await t.step(
    "after a reload the marker and the comment are still there; the list seeks too",
    async () => {
      await openCut(a, path);
      const marker = a.getByTestId(`marker-${threadId}`);
      await marker.waitFor();
      assert.equal(await marker.getAttribute("data-frame"), String(frame));
      await a.getByTestId(`thread-${threadId}`).getByTestId("thread-seek").click();
      await until(
        `frame ${frame} shown again`,
        async () => (await readout(a)).startsWith(`frame ${frame + 1} / ${CUT_FRAMES}`),
      );
      await studio.screenshot(a, "cut-review-after-reload");
    },
  );
});

Deno.test("cut review without a render: the selected takes play in sequence, and a comment lands on the film's frame", async () => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-cut-sequence-" });
  const shot = (id: string, code: string, x: number) => shotNode(id, code, x, 16);
  const graph = graphOf([shot("wide", "SHOT-010", 80), shot("door", "SHOT-020", 420)]);
  const main = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
  const { ana, projectId } = await anaWithEditorBen(studio, { ...graph, cuts: { main } });
  const agent = await studio.startAgent(ana);
  const urls: Record<string, string> = {};
  try {
    for (const [nodeId, colour] of [["wide", "red"], ["door", "blue"]] as const) {
      const file = await makeClip(`${dir}/${colour}.mp4`, {
        source: `color=c=${colour}`,
        rate: 16,
        seconds: 1,
      });
      studio.fake.behaviour.outputBytes = () => Deno.readFileSync(file);
      await generateTake(studio, ana, projectId, nodeId);
      const [take] = (await studio.api<{ takes: { url: string }[] }>(
        "GET",
        `/api/projects/${projectId}/takes?nodeId=${nodeId}`,
        ana.token,
      )).takes;
      urls[nodeId] = new URL(take!.url, studio.url).pathname;
    }
  } finally {
    await agent.stop();
  }
  const c = await reviewerByLink(studio, ana, projectId, "Cleo");
  await c.goto(`${studio.url}/review/${projectId}/main`);
  await c.getByTestId("cut-review-page").waitFor();
  // Two clips of 1 s at the cut's 24 fps.
  await until("the film's length", async () => (await readout(c)).includes("/ 48"));
  assert.match(await c.getByTestId("cut-review-film").innerText(), /selected takes play/);
  const source = () =>
    c.getByTestId("stage-a").evaluate((v) => new URL((v as HTMLVideoElement).src).pathname);
  await until("the first shot's take", async () => (await source()) === urls["wide"]);
  await c.getByTestId("scrub").fill("30");
  await until("the second shot's take at frame 30", async () => (await source()) === urls["door"]);
  assert.match(await readout(c), /^frame 31 \/ 48 · 00:00:01:06/);
  await c.keyboard.press("c");
  await c.getByTestId("comment-input").fill("The door comes too soon");
  await c.getByTestId("comment-post").click();
  const thread = c.locator("[data-testid^=thread-]").first();
  await thread.waitFor();
  assert.equal(await thread.getByTestId("thread-seek").innerText(), "00:00:01:06");
  const id = (await thread.getAttribute("data-testid"))!.slice("thread-".length);
  assert.equal(await c.getByTestId(`marker-${id}`).getAttribute("data-frame"), "30");
  // It plays on from the start through both shots.
  await c.getByTestId(`marker-${id}`).click();
  await c.getByTestId("scrub").fill("0");
  await c.getByTestId("play").click();
  await until("back in the first shot, playing", async () => (await source()) === urls["wide"]);
  await until(
    "into the second shot",
    async () => Number(/^frame (\d+)/.exec(await readout(c))?.[1]) > 26,
  );
  await until("the second shot's take", async () => (await source()) === urls["door"]);
  await studio.screenshot(c, "cut-review-sequence");
});
