import assert from "node:assert/strict";
import { JobBar, RUN_SHARE } from "./job_bar.ts";

Deno.test("the bar never goes back, and the run's 100 % leaves room for the upload", () => {
  const bar = new JobBar();
  assert.equal(bar.run({ percent: 0, message: "starting" }).percent, 0);
  assert.equal(bar.run({ percent: 33, message: "reused 1 cached node(s)" }).percent, 29);
  const queued = bar.run({ percent: 0, message: "queued in ComfyUI" });
  assert.deepEqual(
    queued,
    { percent: 29, message: "queued in ComfyUI" },
    "the message, not the drop",
  );
  assert.equal(bar.run({ percent: 100, message: "done" }).percent, RUN_SHARE);
  assert.equal(bar.upload(0, 1000, "uploading").percent, RUN_SHARE);
  assert.equal(bar.upload(500, 1000, "uploading").percent, 95);
  assert.equal(bar.upload(1000, 1000, "uploading").percent, 100);
  assert.equal(bar.run({ percent: 50, message: "late" }).percent, 100);
  assert.equal(new JobBar().run({ percent: NaN, message: "?" }).percent, 0);
});
