/**
 * Remote review on a video take (issue 18), with Ana (owner), Ben (editor) and Cleo (a reviewer
 * by link) in three browser contexts: Cleo pauses at a frame (C), draws a rectangle and
 * comments (a hostile body, shown as typed); Ana sees the marker at that frame live, seeks to it,
 * replies and resolves; Cleo approves the take and Ana's node card says so; after a reload of
 * each context everything is still there; Ben's "what's new" lists exactly what happened since
 * his last visit, and marking it read is his alone.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { anaWithEditorBen, graphOf, live, node, reviewerByLink } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

const FPS = 16;
/** Every trick a comment body might try; it must come back as this very text. */
const HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> ' +
  "[see](javascript:window.__xss=3) \u202Eevil\u202C zero\u200Bwidth";

async function openTake(page: Page, takeId: string): Promise<void> {
  await page.getByTestId(`take-${takeId}`).click();
  await page.getByTestId("take-viewer").waitFor();
  await until(
    "the video's length",
    async () => (await page.getByTestId("frame-readout").innerText()).includes("/ 32"),
  );
}

/** Nothing a comment said ran or became an element. */
async function nothingInjected(page: Page): Promise<void> {
  const found = await page.evaluate(() => ({
    xss: (globalThis as unknown as { __xss?: number }).__xss ?? null,
    elements: document.querySelectorAll(
      "[data-testid=comments] script, [data-testid=comments] img, [data-testid=comments] a, " +
        "[data-testid=whats-new-list] script, [data-testid=whats-new-list] img",
    ).length,
  }));
  assert.deepEqual(found, { xss: null, elements: 0 });
}

Deno.test("review: a frame comment with a rectangle, a reply, resolve, a decision, live and after reload", async (t) => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir();
  const clip = await makeClip(`${dir}/clip.mp4`, {
    source: "color=c=gray",
    rate: FPS,
    seconds: 2,
  });
  studio.fake.behaviour.outputBytes = () => Deno.readFileSync(clip);
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([node("hero", "shot.generate", 80, 80, { prompt: "a lighthouse", fps: FPS })]),
  );
  // Ben looked at the project before anything happened: his marker is set now.
  await studio.api("POST", `/api/projects/${projectId}/whats-new/read`, ben.token, {});
  const agent = await studio.startAgent(ana);
  await studio.api("POST", `/api/projects/${projectId}/nodes/hero/generate`, ana.token, {
    type: "shot.generate",
  });
  const takes = async () =>
    (await studio.api<{ takes: { id: string }[] }>(
      "GET",
      `/api/projects/${projectId}/takes?nodeId=hero`,
      ana.token,
    )).takes;
  await until("a take", async () => (await takes()).length === 1, 30_000);
  await agent.stop();
  const [take] = await takes();
  const takeId = take!.id;

  const a = await studio.open(ana, `/projects/${projectId}`);
  const c = await reviewerByLink(studio, ana, projectId, "Cleo");
  await live(a);
  let threadId = "";

  await t.step("Cleo pauses at a frame with C, draws a rectangle and comments", async () => {
    await openTake(c, takeId);
    for (let i = 0; i < 5; i++) await c.keyboard.press(".");
    await until(
      "frame 5",
      async () => (await c.getByTestId("frame-readout").innerText()).startsWith("frame 6 / 32"),
    );
    await c.getByTestId("stage").click({ position: { x: 5, y: 5 } }).catch(() => {});
    await c.keyboard.press("c");
    await until(
      "the composer at the frame",
      async () => (await c.getByTestId("composer-where").innerText()).includes("At 00:00:00:05"),
    );
    await c.getByTestId("draw-shape").click();
    const box = (await c.getByTestId("stage-a").boundingBox())!;
    await c.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await c.mouse.down();
    await c.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await c.mouse.up();
    await until(
      "the rectangle in the composer",
      async () => (await c.getByTestId("composer-where").innerText()).includes("rectangle"),
    );
    await c.getByTestId("comment-input").fill(HOSTILE);
    await c.getByTestId("comment-post").click();
    const thread = c.locator("[data-testid^=thread-]").first();
    await thread.waitFor();
    threadId = (await thread.getAttribute("data-testid"))!.slice("thread-".length);
    assert.equal(await thread.getByTestId("comment-body").innerText(), HOSTILE);
    assert.equal(await thread.getByTestId("comment-author").innerText(), "Cleo (guest)");
    assert.equal(await thread.getByTestId("thread-seek").innerText(), "00:00:00:05");
    await c.getByTestId(`shape-${threadId}`).waitFor();
    await nothingInjected(c);
    await studio.screenshot(c, "review-reviewer-commented");
  });

  await t.step(
    "Ana sees the marker at that frame live, seeks there, replies and resolves",
    async () => {
      await openTake(a, takeId);
      const marker = a.getByTestId(`marker-${threadId}`);
      await marker.waitFor();
      assert.equal(await marker.getAttribute("data-frame"), "5");
      await marker.click();
      await until(
        "frame 5 shown",
        async () => (await a.getByTestId("frame-readout").innerText()).startsWith("frame 6 / 32"),
      );
      await a.getByTestId(`shape-${threadId}`).waitFor();
      const thread = a.getByTestId(`thread-${threadId}`);
      assert.equal(await thread.getByTestId("comment-body").first().innerText(), HOSTILE);
      await thread.getByTestId("reply-input").fill("Fixed in the next take, @Ben");
      await thread.getByTestId("reply-post").click();
      await thread.getByText("Fixed in the next take, @Ben").waitFor();
      await thread.getByTestId("thread-resolve").click();
      await a.locator(`[data-testid=thread-${threadId}][data-resolved=true]`).waitFor();
      await nothingInjected(a);
      await studio.screenshot(a, "review-owner-replied-resolved");
      // Cleo sees both live.
      await c.locator(`[data-testid=thread-${threadId}][data-resolved=true]`).waitFor();
      await c.getByTestId(`thread-${threadId}`).getByText("Fixed in the next take, @Ben").waitFor();
    },
  );

  await t.step("Cleo approves the take and Ana's node card says so; the select stays", async () => {
    await c.getByTestId("decision-note").fill("Lovely light");
    await c.getByTestId("decide-approved").click();
    await c.getByTestId("decision-list").getByText("approved by Cleo (guest): Lovely light")
      .waitFor();
    await a.keyboard.press("Escape");
    await a.getByTestId("take-viewer").waitFor({ state: "detached" });
    const card = a.getByTestId("decision-hero");
    await card.waitFor();
    assert.equal(await card.innerText(), "approved by Cleo (guest)");
    await studio.screenshot(a, "review-owner-card-approved");
  });

  await t.step("after a reload of each context everything is still there", async () => {
    for (const page of [a, c]) {
      await page.reload();
      await live(page);
      await page.getByTestId("decision-hero").filter({ hasText: "approved by Cleo (guest)" })
        .waitFor();
      await openTake(page, takeId);
      const thread = page.locator(`[data-testid=thread-${threadId}][data-resolved=true]`);
      await thread.waitFor();
      assert.equal(await thread.getByTestId("comment-body").first().innerText(), HOSTILE);
      await thread.getByText("Fixed in the next take, @Ben").waitFor();
      await page.getByTestId(`marker-${threadId}`).waitFor();
      await nothingInjected(page);
    }
  });

  await t.step("the review page shows the take on its own, with its comments", async () => {
    await c.goto(`${studio.url}/review/${projectId}/take/${takeId}`);
    await c.getByTestId("review-page").waitFor();
    await until(
      "the video's length",
      async () => (await c.getByTestId("frame-readout").innerText()).includes("/ 32"),
    );
    await c.getByTestId(`marker-${threadId}`).click();
    await until(
      "frame 5 shown",
      async () => (await c.getByTestId("frame-readout").innerText()).startsWith("frame 6 / 32"),
    );
    await c.getByTestId(`shape-${threadId}`).waitFor();
    await c.getByTestId("decision-list").getByText("approved by Cleo (guest)").waitFor();
    await nothingInjected(c);
    await studio.screenshot(c, "review-page-take");
  });

  await t.step("Ben's what's new lists exactly what happened since his last visit", async () => {
    const b = await studio.open(ben, `/projects/${projectId}`);
    await live(b);
    await until(
      "the unread count",
      async () => (await b.getByTestId("unread-count").innerText().catch(() => "")) === "4",
    );
    await b.getByTestId("whats-new").click();
    const list = b.getByTestId("whats-new-list");
    const kinds = await list.locator("li").evaluateAll((items) =>
      items.map((li) => li.getAttribute("data-testid"))
    );
    assert.deepEqual(kinds, ["news-decision", "news-mention", "news-comment", "news-take"]);
    assert.match(await list.innerText(), /Mentioned you · Ana: Fixed in the next take, @Ben/);
    await nothingInjected(b);
    await studio.screenshot(b, "review-whats-new");
    await b.getByTestId("mark-read").click();
    await b.getByTestId("unread-count").waitFor({ state: "detached" });
    // Marking read is Ben's: Ana's count is her own (Cleo's comment and decision, the take).
    await a.reload();
    await live(a);
    await until(
      "Ana's unread count",
      async () => (await a.getByTestId("unread-count").innerText().catch(() => "")) === "3",
    );
    // Something new after Ben's visit reaches his count live.
    await c.getByTestId("comment-input").fill("One more thing, @Ben");
    await c.getByTestId("comment-post").click();
    await until(
      "Ben's count after a new mention",
      async () => (await b.getByTestId("unread-count").innerText().catch(() => "")) === "1",
    );
    await b.reload();
    await live(b);
    await until(
      "Ben's count after a reload",
      async () => (await b.getByTestId("unread-count").innerText().catch(() => "")) === "1",
    );
  });
});
