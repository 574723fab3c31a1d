import assert from "node:assert/strict";
import { type ConsoleEvent, Wan2gpConsole } from "./console.ts";

/** Feeds `text` in chunks of `size` characters, as a pipe delivers it. */
function read(text: string, size: number): ConsoleEvent[] {
  const console = new Wan2gpConsole();
  const events: ConsoleEvent[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...console.feed(text.slice(i, i + size)));
  return [...events, ...console.end()];
}

// The format docs/CLI.md documents and wgp.py `process_tasks_cli` prints.
const RUN = "WanGP CLI Mode - Processing settings: /w/settings.json\n" +
  "Output directory: /w/out\nLoaded 1 task(s)\n\n" +
  "[Task 1/1] A beautiful sunset over the ocean...\n" +
  "Loading Model 'ckpts/wan2.1_text2video_1.3B_mbf16.safetensors' ...\n" +
  "\r  [1/30] Prompt 1/1 - Denoising | 0.4s" +
  "\r  [12/30] Prompt 1/1 - Denoising | Phase 2/2 Low Noise" +
  "\r  [30/30] Prompt 1/1 - VAE Decoding         \n" +
  "\n  Task 1 completed\n\n==================================================\n" +
  "Queue completed: 1/1 tasks in 5m 23s\n";

Deno.test("the documented console output reads the same in any chunking", () => {
  const whole = read(RUN, RUN.length);
  assert.deepEqual(whole, [
    { type: "task", task: 1, tasks: 1 },
    { type: "step", step: 1, total: 30, message: "Prompt 1/1 - Denoising | 0.4s" },
    { type: "step", step: 12, total: 30, message: "Prompt 1/1 - Denoising | Phase 2/2 Low Noise" },
    { type: "step", step: 30, total: 30, message: "Prompt 1/1 - VAE Decoding" },
    { type: "task_done", task: 1 },
    { type: "queue_done", completed: 1, tasks: 1 },
  ]);
  for (const size of [1, 3, 7, 64]) assert.deepEqual(read(RUN, size), whole, `chunks of ${size}`);
});

Deno.test("errors, validation skips and a skipped queue are told apart", () => {
  const events = read(
    "[Task 1/1] x...\n  [SKIP] Task 1 failed validation: Resolution 1000x480 is not supported\n" +
      "\n  [ERROR] CUDA out of memory. Tried to allocate 2.00 GiB\n" +
      "Queue completed: 0/1 tasks in 1s (1 skipped)\n",
    5,
  );
  assert.deepEqual(events.slice(1), [
    { type: "skip", reason: "Resolution 1000x480 is not supported" },
    { type: "error", message: "CUDA out of memory. Tried to allocate 2.00 GiB" },
    { type: "queue_done", completed: 0, tasks: 1 },
  ]);
});

Deno.test("other lines are kept, the last twenty, to explain a crash", () => {
  const console = new Wan2gpConsole();
  console.feed("Traceback (most recent call last):\n");
  for (let i = 0; i < 25; i++) console.feed(`  line ${i}\n`);
  console.feed("RuntimeError: boom");
  console.end();
  assert.equal(console.tail.length, 20);
  assert.equal(console.tail.at(-1), "RuntimeError: boom");
});
