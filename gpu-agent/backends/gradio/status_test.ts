import assert from "node:assert/strict";
import { QUEUE_FULL_MESSAGE, readStatus } from "./status.ts";

const at = { queue: true } as const;

Deno.test("a place in the app's queue reads as how many are ahead", () => {
  assert.deepEqual(readStatus({ ...at, stage: "pending", position: 3, size: 4, eta: 41.6 }), {
    kind: "progress",
    report: { percent: 0, message: "waiting in the app's queue (3 ahead)", etaSeconds: 42 },
  });
  assert.deepEqual(readStatus({ ...at, stage: "pending", position: 0, size: 1 }), {
    kind: "progress",
    report: { percent: 0, message: "next in the app's queue" },
  });
  assert.deepEqual(
    readStatus({ ...at, stage: "pending", position: 0, original_msg: "process_starts" }),
    { kind: "progress", report: { percent: 0, message: "the app started" } },
  );
});

Deno.test("gr.Progress steps and fractions become the job's progress", () => {
  const steps = readStatus({
    ...at,
    stage: "pending",
    progress_data: [{ index: 12, length: 30, unit: "steps", progress: null, desc: "Denoising" }],
  });
  assert.deepEqual(steps, {
    kind: "progress",
    report: { percent: 40, message: "Denoising (12/30)", step: { current: 12, total: 30 } },
  });
  const fraction = readStatus({
    ...at,
    stage: "pending",
    progress_data: [{ index: null, length: null, unit: "steps", progress: 1, desc: null }],
  });
  assert.deepEqual(fraction, { kind: "progress", report: { percent: 99, message: "working" } });
});

Deno.test("errors are told apart: a broken connection, a full queue, the app's message", () => {
  assert.deepEqual(
    readStatus({ ...at, stage: "error", broken: true, message: "Connection errored out. " }),
    { kind: "broken", message: "Connection errored out. " },
  );
  assert.deepEqual(readStatus({ ...at, stage: "error", message: QUEUE_FULL_MESSAGE }), {
    kind: "queue_full",
  });
  assert.deepEqual(readStatus({ ...at, stage: "error", message: "Prompt cannot be empty." }), {
    kind: "error",
    message: "Prompt cannot be empty.",
  });
  assert.deepEqual(readStatus({ ...at, stage: "complete" }), { kind: "complete" });
});
