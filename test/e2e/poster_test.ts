/**
 * A generated shot's take shows its poster frame on the node card (the agent makes it with
 * ffmpeg just after delivering the take, and the room brings it to every open studio), instead
 * of an empty box until the video's metadata loads; reloading the page shows it again from the
 * edge's take list.
 */
import assert from "node:assert/strict";
import { describeVideo } from "../../gpu-agent/backends/ffmpeg/poster.ts";
import { makeClip } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { toHex } from "../../edge/lib/bytes.ts";
import type { ClaimedJob, OutputResponse } from "../../protocol/jobs.ts";
import { agentProfile } from "../jobs/fake_agent.ts";
import { graphOf, live, node, projectWith, reviewerByLink } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

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
      // It follows the take by a moment: the room brings it without a reload.
      await page.getByTestId("takes-shot").locator("[data-testid^=take-] video[poster]").first()
        .waitFor({ timeout: 30_000 });
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

Deno.test("a take delivered before its poster shows at once; its poster appears live for everyone when the agent sends it", async () => {
  await using studio = await startStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-late-poster-" });
  try {
    const ana = await studio.signUp("Ana");
    const projectId = await projectWith(
      studio,
      ana,
      [],
      graphOf([node("shot", "shot.generate", 80, 80, { prompt: "a lighthouse" })]),
    );
    const owner = await studio.open(ana, `/projects/${projectId}`);
    await live(owner);
    const guest = await reviewerByLink(studio, ana, projectId);

    // An agent, scripted over HTTP, delivers the take and only later its poster.
    const { token } = await studio.api<{ token: string }>(
      "POST",
      "/api/agents/enrollment-tokens",
      ana.token,
      undefined,
      201,
    );
    const enrolled = await studio.api<{ agentId: string; secret: string }>(
      "POST",
      "/api/agent/v1/enroll",
      null,
      { token, profile: agentProfile() },
      201,
    );
    const agent = `${enrolled.agentId}.${enrolled.secret}`;
    await studio.api("POST", `/api/projects/${projectId}/nodes/shot/generate`, ana.token, {
      type: "shot.generate",
    }, 201);
    const { job } = await studio.api<{ job: ClaimedJob }>("POST", "/api/agent/v1/claim", agent, {
      waitMs: 5000,
    });
    const clip = await makeClip(`${dir}/shot.mp4`, {
      source: "color=c=orange",
      draw: "drawbox=x=60:y=40:w=200:h=160:color=navy:t=fill",
      size: "832x480",
      rate: 16,
      seconds: 2,
    });
    const slot = await studio.api<OutputResponse>(
      "POST",
      `/api/agent/v1/jobs/${job.id}/outputs`,
      agent,
      { ext: "mp4", contentType: "video/mp4" },
      201,
    );
    const put = async (
      path: string,
      to: { uploadUrl: string; headers: Record<string, string> },
    ) => {
      const bytes = await Deno.readFile(path);
      const res = await fetch(to.uploadUrl, { method: "PUT", headers: to.headers, body: bytes });
      assert.ok(res.ok, `PUT: ${res.status}`);
      await res.body?.cancel();
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      return { bytes: bytes.length, sha256: toHex(new Uint8Array(digest)) };
    };
    const video = await put(clip, slot);
    await studio.api("POST", `/api/agent/v1/jobs/${job.id}/complete`, agent, {
      outputs: [{ takeId: slot.takeId, contentType: "video/mp4", ...video }],
    });

    const thumb = (page: typeof owner) =>
      page.getByTestId("takes-shot").locator("[data-testid^=take-] video").first();
    for (const page of [owner, guest]) {
      await thumb(page).waitFor({ timeout: 30_000 });
      assert.equal(await thumb(page).getAttribute("poster"), null, "no poster yet");
      // Meanwhile the card shows the video's own first frame, as for takes from before posters.
      assert.equal(await thumb(page).getAttribute("preload"), "metadata");
    }
    await studio.screenshot(owner, "poster-pending");

    const { media, posterPath } = await describeVideo(clip, `${dir}/shot.poster.jpg`, {
      signal: AbortSignal.timeout(30_000),
    });
    const poster = await put(posterPath!, slot.poster!);
    await studio.api(
      "POST",
      `/api/agent/v1/jobs/${job.id}/takes/${slot.takeId}/description`,
      agent,
      { media, poster },
    );
    for (const page of [owner, guest]) {
      await until("the poster on the card", async () => await thumb(page).getAttribute("poster"));
      const size = await page.evaluate(async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, (await thumb(page).getAttribute("poster"))!);
      assert.deepEqual(size, [480, 276], "a 480-px frame of the 832x480 take");
    }
    await studio.screenshot(owner, "poster-arrived");
    await studio.screenshot(guest, "poster-arrived-guest");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
