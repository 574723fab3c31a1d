/**
 * What people see of a running job, end to end: the progress the room fans out to every node
 * card never goes backwards, the upload is part of the bar, and ComfyUI's preview frames reach
 * the job's preview.
 */
import assert from "node:assert/strict";
import { rig } from "./rig.ts";

type Progress = { type: string; taskId: string; percent: number; message: string };

Deno.test("progress never goes backwards, also for a rerun from ComfyUI's cache, and the upload is part of the bar", async () => {
  await using r = await rig();
  const png = new Uint8Array(1024 * 1024).fill(7);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  r.fake.behaviour.outputBytes = () => png;
  r.startAgent();
  const ids: string[] = [];
  // The same prompt and seed twice: the second run reuses cached nodes before "queued".
  for (const id of ["still-1", "still-2"]) {
    const jobId = await r.generate({
      id,
      type: "image.generate",
      params: { prompt: "the same lighthouse", seed: 5 },
    });
    ids.push(jobId);
    await r.until("the job to succeed", async () => (await r.job(jobId)).job.state === "succeeded");
  }
  for (const jobId of ids) {
    const seen = r.edge.t.notifier.events.map((e) => e.event as Progress)
      .filter((e) => e.type === "progress.update" && e.taskId === jobId);
    const percents = seen.map((e) => e.percent);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), JSON.stringify(seen));
    const uploading = seen.filter((e) => e.message.startsWith("uploading"));
    assert.ok(uploading.length > 0);
    assert.ok(uploading[0]!.percent < 100, "the run's end is not the bar's end");
    assert.ok(
      seen.filter((e) => !e.message.startsWith("uploading")).every((e) => e.percent < 100),
      "no 100 % before the upload",
    );
  }
});

Deno.test("ComfyUI's preview frames reach the job's preview as JPEG, a few a second at most", async () => {
  await using r = await rig();
  r.fake.behaviour.stepMs = 100; // 20 steps, a preview after each: two seconds of sampling
  r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a lighthouse", steps: 20 },
  });
  // Each preview the edge stores has its own time: count the ones seen while polling.
  const seen = new Set<number>();
  await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId) as unknown as {
      job: { state: string };
      preview: { at: number } | null;
    };
    if (detail.preview) seen.add(detail.preview.at);
    return detail.job.state === "succeeded";
  });
  const { preview } = await r.job(jobId) as unknown as { preview: { url: string } | null };
  assert.ok(preview, "the job has a preview");
  // Served from our own origin (the page's CSP refuses `data:` images), as the image it is.
  assert.match(preview.url, /^\/api\/projects\/[^/]+\/jobs\/[^/]+\/preview\?at=\d+$/);
  const res = await r.edge.t.app.request(preview.url, {
    headers: { authorization: `Bearer ${r.user.token}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/jpeg");
  assert.equal(res.headers.get("cache-control"), "private, no-store");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], "a JPEG");
  assert.ok(seen.size >= 1 && seen.size <= 4, `previews stored: ${seen.size} of 20 frames made`);
});
