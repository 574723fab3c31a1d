/**
 * The agent end to end: a real edge over HTTP, the fake ComfyUI, and `run` in-process. Each
 * test queues jobs the way the studio does and checks what a user would see: job states,
 * takes and their bytes, what ComfyUI was asked, and what the agent printed.
 */
import assert from "node:assert/strict";
import { toHex } from "../../edge/lib/bytes.ts";
import { rig } from "./rig.ts";

const PNG = (() => {
  const bytes = crypto.getRandomValues(new Uint8Array(64 * 1024));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
})();

Deno.test("a generated image becomes a take with ComfyUI's exact bytes, and progress is shown live", async () => {
  await using r = await rig();
  r.fake.behaviour.outputBytes = () => PNG;
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a lighthouse", seed: 11 },
  });
  const done = await r.until("the job to succeed", async () => {
    const { job } = await r.job(jobId);
    return job.state === "succeeded" && job;
  });
  assert.equal(done.attempt, 1);
  const [take] = await r.takes("still-1");
  assert.ok(take, "a take was recorded");
  assert.equal(take.contentType, "image/png");
  assert.equal(take.bytes, PNG.length);
  assert.equal(take.lineage.template, "image.generate.standard");
  assert.equal(take.lineage.seed, 11);
  assert.equal(take.sha256, toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", PNG))));
  const stored = new Uint8Array(await (await fetch(take.url)).arrayBuffer());
  assert.deepEqual(stored, PNG, "the stored take is byte for byte what ComfyUI saved");
  const screen = agent.screen.join("");
  assert.match(screen, /job [0-9a-f]{8} +0% starting/);
  assert.match(screen, /job [0-9a-f]{8} succeeded/);
  agent.signal();
  assert.equal(await agent.exit, 0, "a drain with nothing running exits 0");
});
