import assert from "node:assert/strict";
import type { ApiPrompt } from "./client.ts";
import { ProgressTracker } from "./progress.ts";

const prompt: ApiPrompt = {
  "4": { class_type: "CheckpointLoaderSimple", inputs: {} },
  "3": { class_type: "KSampler", inputs: { steps: 10 }, _meta: { title: "Sampler" } },
  "8": { class_type: "VAEDecode", inputs: {} },
};

Deno.test("sampler steps dominate the overall percent and the message names the node", () => {
  let clock = 0;
  const tracker = new ProgressTracker(prompt, () => clock);
  tracker.handle({ type: "executing", data: { node: "4" } });
  const half = [1, 2, 3, 4, 5].map((value) => {
    clock += 2_000;
    return tracker.handle({ type: "progress", data: { node: "3", value, max: 10 } })!;
  }).at(-1)!;
  // 1 (loader) + 5 of 10 sampler steps, out of 12 units.
  assert.equal(half.percent, 50);
  assert.equal(half.message, "Sampler: step 5/10");
  assert.deepEqual(half.step, { current: 5, total: 10 });
  assert.equal(half.etaSeconds, 10);
  const decode = tracker.handle({ type: "executing", data: { node: "8" } })!;
  assert.equal(decode.message, "VAEDecode");
  assert.ok(decode.percent >= 91 && decode.percent < 100);
  assert.equal(tracker.finished().percent, 100);
});

Deno.test("cached nodes count as done and progress never goes backwards", () => {
  const tracker = new ProgressTracker(prompt);
  const cached = tracker.handle({ type: "execution_cached", data: { nodes: ["4", "3"] } })!;
  assert.equal(cached.percent, Math.floor((11 / 12) * 100));
  const later = tracker.handle({ type: "executing", data: { node: "8" } })!;
  assert.ok(later.percent >= cached.percent);
  assert.equal(tracker.handle({ type: "status", data: {} }), null);
});

Deno.test("'queued in ComfyUI' after cached nodes keeps the percent they reached", () => {
  const tracker = new ProgressTracker(prompt);
  const cached = tracker.handle({ type: "execution_cached", data: { nodes: ["4"] } })!;
  assert.equal(cached.message, "reused 1 cached node(s)");
  assert.ok(cached.percent > 0);
  assert.deepEqual(tracker.note("queued in ComfyUI"), {
    percent: cached.percent,
    message: "queued in ComfyUI",
  });
});
