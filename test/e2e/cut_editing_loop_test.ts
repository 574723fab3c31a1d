/**
 * The whole editing loop on the cut's timeline in one run (issue 15), with Ana (owner), Ben
 * (editor) and Cleo (a reviewer by link), on a real agent with ffmpeg: a cut from the graph,
 * an audio bed moved and trimmed with the mouse, clips reordered and trimmed, a dissolve made
 * longer (and an impossible length refused with the reason), the timeline zoomed around the
 * playhead and the pointer with a scale of timecodes, clips showing their takes' posters,
 * another take circled, the cut played with J/K/L, rendered, and the film played. Each take is
 * one solid colour, so the picture says which take plays.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import {
  anaWithEditorBen,
  clipOrder,
  dragBy,
  generateTake,
  graphOf,
  live,
  node,
  reviewerByLink,
  shotNode,
  takesOf,
} from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/** Presses at `from`, moves in small steps by `dx` pixels, releases: a user's drag. */
/** The screen x of the playhead. */
async function playheadX(page: Page): Promise<number> {
  return (await page.getByTestId("playhead").boundingBox())!.x;
}

const timecodeNow = async (page: Page) =>
  (await page.getByTestId("cut-timecode").innerText()).split(" / ")[0]!;

Deno.test("the cut's editing loop: audio, trims, transitions, zoom, posters, takes, J/K/L, render", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-loop-" });
  const colour = (c: string) =>
    makeClip(`${dir}/${c}.mp4`, { source: `color=c=${c}`, rate: 16, seconds: 2 });
  const shot = (id: string, code: string, x: number) => shotNode(id, code, x, 32);
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([
      shot("wide", "SHOT-010", 80),
      shot("door", "SHOT-020", 420),
      node("rain", "audio.generate", 760, 80, { prompt: "rain", seconds: 6 }),
    ]),
  );
  const agent = await studio.startAgent(ana);
  // wide: a red take, then a blue one (the newest plays until someone circles another).
  for (const [nodeId, c] of [["wide", "red"], ["wide", "blue"], ["door", "green"]]) {
    const file = await colour(c!);
    studio.fake.behaviour.outputBytes = () => Deno.readFileSync(file);
    await generateTake(studio, ana, projectId, nodeId!);
  }
  studio.fake.behaviour.outputBytes = undefined;
  await generateTake(studio, ana, projectId, "rain", "audio.generate");
  const [, red] = await takesOf(studio, ana, projectId, "wide");

  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);
  const clipOf = (page: Page, nodeId: string) =>
    page.locator(`.video-lane [data-node="${nodeId}"]`);
  const audioClip = (page: Page) => page.locator(".audio-lane .cut-clip").first();
  const attr = async (page: Page, nodeId: string, name: string) =>
    Number(await (nodeId === "rain" ? audioClip(page) : clipOf(page, nodeId)).getAttribute(name));

  await t.step("a cut from the graph, with the rain added on an audio lane", async () => {
    await a.getByTestId("new-cut").click();
    await until("two clips", async () => (await clipOrder(a)).length === 2);
    await a.getByTestId("clip-node").selectOption("rain");
    await a.getByTestId("add-clip").click();
    await until("an audio clip", async () => (await audioClip(a).count()) === 1);
    // Six seconds of rain are 144 frames of the 24 fps cut, from its first frame.
    assert.equal(await attr(a, "rain", "data-start"), 0);
    assert.equal(await attr(a, "rain", "data-frames"), 144);
  });

  await t.step("the audio clip is moved and trimmed with the mouse, for everyone", async () => {
    // Two pixels a frame: 48 px to the right starts it a second later.
    const box = (await audioClip(a).boundingBox())!;
    await dragBy(a, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, 48);
    await until("rain starts at 24", async () => (await attr(a, "rain", "data-start")) === 24);
    // Its head trimmed by 12 frames: the sound stays where it was, it starts later.
    const moved = (await audioClip(a).boundingBox())!;
    await dragBy(a, { x: moved.x + 3, y: moved.y + moved.height / 2 }, 24);
    await until("head trimmed", async () => (await attr(a, "rain", "data-in")) === 12);
    assert.equal(await attr(a, "rain", "data-start"), 36);
    assert.equal(await attr(a, "rain", "data-frames"), 132);
    // Its tail trimmed by 32 frames.
    const trimmed = (await audioClip(a).boundingBox())!;
    await dragBy(
      a,
      { x: trimmed.x + trimmed.width - 3, y: trimmed.y + trimmed.height / 2 },
      -64,
    );
    await until("tail trimmed", async () => (await attr(a, "rain", "data-frames")) === 100);
    await until(
      "Ben sees the rain moved and trimmed",
      async () =>
        (await attr(b, "rain", "data-start")) === 36 &&
        (await attr(b, "rain", "data-frames")) === 100,
    );
    await studio.screenshot(b, "cut-loop-audio-edited-seen-by-ben");
  });

  await t.step("clips reordered and trimmed", async () => {
    const door = (await clipOf(a, "door").boundingBox())!;
    await dragBy(a, { x: door.x + door.width / 2, y: door.y + door.height / 2 }, -120);
    await until("door first", async () => (await clipOrder(a))[0] === "door");
    // The wide shot's end dragged 8 frames (16 px) to the left: 40 frames long.
    const wide = (await clipOf(a, "wide").boundingBox())!;
    await dragBy(a, { x: wide.x + wide.width - 3, y: wide.y + wide.height / 2 }, -16);
    await until("wide trimmed", async () => (await attr(a, "wide", "data-frames")) === 40);
    await until(
      "Ben sees both",
      async () =>
        (await clipOrder(b))[0] === "door" && (await attr(b, "wide", "data-frames")) === 40,
    );
  });

  await t.step(
    "a dissolve made longer; a length the clips cannot hold is refused, with why",
    async () => {
      await a.locator(".transition-handle").first().click();
      await until(
        "a dissolve",
        async () =>
          /\bon\b/.test(await a.locator(".transition-handle").first().getAttribute("class") ?? ""),
      );
      await clipOf(a, "door").click();
      const frames = a.getByTestId("transition-frames");
      await frames.waitFor();
      // door is 48 frames and wide 40: a dissolve between them is at most 40 frames.
      assert.equal(await frames.getAttribute("max"), "40");
      await frames.fill("20");
      await frames.press("Enter");
      await until(
        "Ben sees a 20-frame dissolve",
        async () =>
          /20 frames/.test(
            await b.locator(".transition-handle").first().getAttribute("title") ?? "",
          ),
      );
      await frames.fill("41");
      await frames.press("Enter");
      await until("the reason", () => a.getByTestId("transition-why").isVisible());
      assert.match(await a.getByTestId("transition-why").innerText(), /40 frames/);
      await studio.screenshot(a, "cut-loop-transition-refused");
      assert.match(
        await a.locator(".transition-handle").first().getAttribute("title") ?? "",
        /20 frames/,
      );
    },
  );

  await t.step(
    "zoom: +/- around the playhead, ctrl+wheel around the pointer, a timecode scale",
    async () => {
      await a.getByTestId("ruler").click({ position: { x: 60, y: 5 } });
      const before = await playheadX(a);
      const width = (await clipOf(a, "door").boundingBox())!.width;
      await a.getByTestId("timeline-zoom-in").click();
      await until(
        "twice as wide",
        async () => Math.abs((await clipOf(a, "door").boundingBox())!.width - 2 * width) < 2,
      );
      assert.ok(Math.abs((await playheadX(a)) - before) < 2, "the playhead stays where it was");
      // The scale reads in timecode.
      const ticks = await a.locator(".ruler-tick").allInnerTexts();
      assert.ok(ticks.includes("00:00:01:00"), `ticks: ${ticks.join(", ")}`);

      // The pointer a third into the wide clip: after zooming in it is still a third into it.
      const wide = (await clipOf(a, "wide").boundingBox())!;
      const pointer = { x: wide.x + wide.width / 3, y: wide.y + 10 };
      await a.mouse.move(pointer.x, pointer.y);
      await a.keyboard.down("Control");
      await a.mouse.wheel(0, -100);
      await a.keyboard.up("Control");
      await until(
        "zoomed in",
        async () => (await clipOf(a, "wide").boundingBox())!.width > wide.width * 1.5,
      );
      const zoomed = (await clipOf(a, "wide").boundingBox())!;
      const fraction = (pointer.x - zoomed.x) / zoomed.width;
      assert.ok(Math.abs(fraction - 1 / 3) < 0.02, `a third in, got ${fraction}`);
      await studio.screenshot(a, "cut-loop-zoomed");
      await a.getByTestId("timeline-zoom-out").click();
      await a.getByTestId("timeline-zoom-out").click();
      await until(
        "zoomed out",
        async () => (await clipOf(a, "door").boundingBox())!.width < width * 1.5,
      );
    },
  );

  await t.step("clips show their takes' posters, not video frames", async () => {
    for (const id of ["wide", "door"]) {
      const poster = clipOf(a, id).locator("img.clip-poster");
      await until(
        `${id}'s poster drawn`,
        () => poster.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0),
      );
    }
    assert.equal(await a.locator(".video-lane video").count(), 0);
  });

  await t.step("another take circled in the picker, with posters", async () => {
    await clipOf(a, "wide").click();
    await a.getByTestId(`pick-${red!.id}`).click();
    await until(
      "red circled",
      async () => /chosen/.test(await a.getByTestId(`pick-${red!.id}`).getAttribute("class") ?? ""),
    );
    assert.equal(await a.getByTestId("take-picker").locator("video").count(), 0);
    assert.ok(await a.getByTestId(`pick-${red!.id}`).locator("img").count() === 1);
    await studio.screenshot(a, "cut-loop-take-picked");
  });

  await t.step("J/K/L: L plays and speeds up, K pauses, J plays backwards", async () => {
    await a.getByTestId("ruler").click({ position: { x: 2, y: 5 } });
    await a.getByTestId("timeline").focus();
    await a.keyboard.press("l");
    await until("1× forward", async () => (await a.getByTestId("cut-speed").innerText()) === "1×");
    await a.keyboard.press("l");
    await until("2× forward", async () => (await a.getByTestId("cut-speed").innerText()) === "2×");
    // The picture runs at the same speed as the playhead, not pulled back to it.
    await until(
      "the take plays at 2×",
      () =>
        a.getByTestId("cut-preview").evaluate((v) => (v as HTMLVideoElement).playbackRate === 2),
    );
    await until("time passes", async () => (await timecodeNow(a)) >= "00:00:01:00");
    await studio.screenshot(a, "cut-loop-playing-2x");
    await a.keyboard.press("k");
    await until("paused", async () => (await a.getByTestId("cut-speed").count()) === 0);
    const paused = await timecodeNow(a);
    await a.keyboard.press("j");
    await until("1× back", async () => (await a.getByTestId("cut-speed").innerText()) === "−1×");
    await until("time goes back", async () => (await timecodeNow(a)) < paused);
    await a.keyboard.press("k");
    await studio.screenshot(a, "cut-loop-jkl");
  });

  await t.step("the cut renders on the agent and the film plays", async () => {
    await a.getByTestId("render-cut").click();
    try {
      await until("the film's player", () => a.getByTestId("render-player").isVisible(), 90_000);
    } catch (e) {
      console.log(agent.output(), studio.logs().slice(-4000));
      throw e;
    }
    // door (48) + wide (40) less the 20-frame dissolve: 68 frames; the rain ends at 136.
    await until(
      "its length known",
      () =>
        a.getByTestId("render-player").evaluate((v) =>
          Number.isFinite((v as HTMLVideoElement).duration)
        ),
    );
    const duration = await a.getByTestId("render-player").evaluate((v) =>
      (v as HTMLVideoElement).duration
    );
    assert.ok(Math.abs(duration - 136 / 24) <= 1 / 24 + 0.05, `136 frames long, got ${duration}`);
    await a.getByTestId("render-player").evaluate((v) => (v as HTMLVideoElement).play());
    await until(
      "the film plays",
      () =>
        a.getByTestId("render-player").evaluate((v) => (v as HTMLVideoElement).currentTime > 0.5),
    );
    await studio.screenshot(a, "cut-loop-render-playing");
  });

  await t.step("a reviewer can neither move nor trim audio, nor change a transition", async () => {
    const c = await reviewerByLink(studio, ana, projectId);
    await until("Cleo sees the rain", async () => (await audioClip(c).count()) === 1);
    const box = (await audioClip(c).boundingBox())!;
    await dragBy(c, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, 60);
    await dragBy(c, { x: box.x + 3, y: box.y + box.height / 2 }, 30);
    assert.equal(await attr(c, "rain", "data-start"), 36);
    assert.equal(await attr(c, "rain", "data-frames"), 100);
    await clipOf(c, "door").click();
    assert.equal(await c.getByTestId("transition-frames").count(), 0);
  });
  await agent.stop();
  await Deno.remove(dir, { recursive: true });
});
