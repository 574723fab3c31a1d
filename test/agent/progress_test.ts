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
