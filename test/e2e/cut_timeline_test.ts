/**
 * The cut's timeline (issue 15), with Ana (owner), Ben (editor) and Cleo (a reviewer by link):
 * a cut made from the graph puts the shots in scene/shot order with a marked gap for a shot that
 * has no take; dragging reorders it and an edge drag trims it, for everyone live; the take
 * picker circles another take and the preview plays it; a transition handle sets a dissolve;
 * the preview plays the selected takes in sequence with timecode; reviewers watch but cannot edit.
 * Each take is one solid colour, so the preview's picture says which take plays.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import {
  anaWithEditorBen,
  clipOrder,
  generateTake,
  graphOf,
  live,
  reviewerByLink,
  shotNode,
  takesOf,
} from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

/**
 * The dominant colour at the centre of the preview's picture of the clip under the playhead:
 * "red", "blue", "green" or "none".
 */
function previewColour(page: Page): Promise<string> {
  return page.getByTestId("cut-preview").evaluate((v) => {
    const video = v as HTMLVideoElement;
    if (!video.videoWidth || video.classList.contains("idle")) return "none";
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext("2d")!;
    g.drawImage(video, 0, 0);
    const [r, gr, b] = g.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
    const max = Math.max(r!, gr!, b!);
    return max === r ? "red" : max === gr ? "green" : "blue";
  });
}

Deno.test("the cut timeline: build, reorder, trim, pick a take, transition and play, live for everyone", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir();
  const colour = (c: string) =>
    makeClip(`${dir}/${c}.mp4`, { source: `color=c=${c}`, rate: 16, seconds: 2 });
  const clips = {
    red: await colour("red"),
    blue: await colour("blue"),
    green: await colour("green"),
  };
  const shot = (id: string, scene: string, code: string, x: number) =>
    shotNode(id, code, x, 32, scene);
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    // Drawn out of order on the canvas: the cut orders them by scene and shot.
    graphOf([
      shot("close", "SC02", "SHOT-010", 80),
      shot("wide", "SC01", "SHOT-010", 420),
      shot("door", "SC01", "SHOT-020", 760),
    ]),
  );
  const agent = await studio.startAgent(ana);
  // wide: a red take, then a blue one (the newest plays until someone circles another);
  // door: a green take; close: none yet.
  for (const [nodeId, file] of [["wide", clips.red], ["wide", clips.blue], ["door", clips.green]]) {
    studio.fake.behaviour.outputBytes = () => Deno.readFileSync(file!);
    await generateTake(studio, ana, projectId, nodeId!);
  }
  await agent.stop();
  const [blue, red] = await takesOf(studio, ana, projectId, "wide");

  const a = await studio.open(ana, `/projects/${projectId}`);
  const b = await studio.open(ben, `/projects/${projectId}`);
  await Promise.all([live(a), live(b)]);

  await t.step(
    "a cut made from the graph orders shots by scene and marks a shot without take",
    async () => {
      await a.getByTestId("new-cut").click();
      await until("three clips", async () => (await clipOrder(a)).length === 3);
      assert.deepEqual(await clipOrder(a), ["wide", "door", "close"]);
      assert.match(await a.locator('[data-node="close"]').getAttribute("class") ?? "", /\bgap\b/);
      assert.match(await a.locator('[data-node="close"]').innerText(), /no take/);
      // 32 frames at 16 fps are 48 frames of the 24 fps cut; three clips are 6 seconds.
      assert.equal(await a.getByTestId("cut-timecode").innerText(), "00:00:00:00 / 00:00:06:00");
      await until("Ben sees the cut", async () => (await clipOrder(b)).length === 3);
      await studio.screenshot(a, "cut-timeline-made");
    },
  );

  const clipOf = (page: Page, nodeId: string) =>
    page.locator(`.video-lane [data-node="${nodeId}"]`);

  await t.step(
    "dragging a clip reorders the cut, and an edge drag trims it, for everyone",
    async () => {
      const close = (await clipOf(a, "close").boundingBox())!;
      await a.mouse.move(close.x + close.width / 2, close.y + close.height / 2);
      await a.mouse.down();
      for (let dx = 0; dx <= 300; dx += 30) {
        await a.mouse.move(close.x + close.width / 2 - dx, close.y + close.height / 2);
      }
      await a.mouse.up();
      await until("close first", async () => (await clipOrder(a))[0] === "close");
      assert.deepEqual(await clipOrder(a), ["close", "wide", "door"]);
      await until("Ben sees the new order", async () => (await clipOrder(b))[0] === "close");

      // The door clip's end dragged 24 frames (48 px) to the left: 24 frames long.
      const door = (await clipOf(a, "door").boundingBox())!;
      await a.mouse.move(door.x + door.width - 3, door.y + door.height / 2);
      await a.mouse.down();
      for (let dx = 0; dx <= 48; dx += 8) {
        await a.mouse.move(door.x + door.width - 3 - dx, door.y + door.height / 2);
      }
      await a.mouse.up();
      await until(
        "door trimmed",
        async () => (await clipOf(a, "door").getAttribute("data-frames")) === "24",
      );
      await until(
        "Ben sees the trim",
        async () => (await clipOf(b, "door").getAttribute("data-frames")) === "24",
      );
      assert.equal(await a.getByTestId("cut-timecode").innerText(), "00:00:00:00 / 00:00:05:00");
      await studio.screenshot(b, "cut-timeline-reordered-trimmed-seen-by-ben");
    },
  );

  await t.step(
    "the take picker circles another take; a transition handle sets a dissolve",
    async () => {
      await clipOf(a, "wide").click();
      const picker = a.getByTestId("take-picker");
      await picker.waitFor();
      assert.match(await a.getByTestId(`pick-${blue!.id}`).getAttribute("class") ?? "", /chosen/);
      await a.getByTestId(`pick-${red!.id}`).click();
      await until(
        "red circled",
        async () =>
          /chosen/.test(await a.getByTestId(`pick-${red!.id}`).getAttribute("class") ?? ""),
      );
      const handle = a.locator(".transition-handle").nth(1); // between wide and door
      await handle.click();
      await until(
        "a dissolve",
        async () => /\bon\b/.test(await handle.getAttribute("class") ?? ""),
      );
      await until(
        "Ben sees the dissolve",
        async () =>
          /\bon\b/.test(await b.locator(".transition-handle").nth(1).getAttribute("class") ?? ""),
      );
      await studio.screenshot(a, "cut-timeline-take-picker");
    },
  );

  await t.step("the preview plays the selected takes in sequence with timecode", async () => {
    await a.getByTestId("ruler").click({ position: { x: 1, y: 5 } });
    await until("the gap's slate", () => a.getByTestId("cut-slate").isVisible());
    assert.match(await a.getByTestId("cut-slate").innerText(), /no take/);
    await a.getByTestId("timeline").focus();
    await a.keyboard.press(" ");
    // Past the 2-second gap: the wide shot plays its circled (red) take.
    await until("red on screen", async () => (await previewColour(a)) === "red", 15_000);
    assert.ok((await a.getByTestId("cut-timecode").innerText()) >= "00:00:02:00");
    await until("green on screen", async () => (await previewColour(a)) === "green", 15_000);
    await studio.screenshot(a, "cut-timeline-playing");
    await a.keyboard.press("k");
    const paused = await a.getByTestId("cut-timecode").innerText();
    await a.keyboard.press("ArrowRight");
    await until(
      "one frame on",
      async () => (await a.getByTestId("cut-timecode").innerText()) !== paused,
    );
  });

  await t.step("reviewers watch the cut but cannot edit it", async () => {
    const c = await reviewerByLink(studio, ana, projectId);
    await until("Cleo sees three clips", async () => (await clipOrder(c)).length === 3);
    assert.equal(await c.getByTestId("new-cut").count(), 0);
    assert.equal(await c.locator(".trim-handle").count(), 0);
    assert.ok(await c.locator(".transition-handle").first().isDisabled());
    const door = (await clipOf(c, "door").boundingBox())!;
    await c.mouse.move(door.x + door.width / 2, door.y + 10);
    await c.mouse.down();
    await c.mouse.move(door.x - 200, door.y + 10);
    await c.mouse.up();
    assert.deepEqual(await clipOrder(c), ["close", "wide", "door"]);
    await studio.screenshot(c, "cut-timeline-reviewer");
  });
});
