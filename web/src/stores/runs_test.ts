import assert from "node:assert/strict";
import type { Take } from "../api/types.ts";
import { formatEta, idleRun, onJob, onJobEvent, withTake } from "./runs.ts";

const take = (id: string, createdAt: number) =>
  ({ id, createdAt, name: `${id}.mp4` }) as unknown as Take;

Deno.test("progress shows percent, message and ETA; completion adds the take newest first", () => {
  let run = onJob(idleRun(), { id: "j1", nodeId: "n", state: "queued", tier: "standard" });
  assert.equal(run.phase, "queued");
  run = onJobEvent(run, {
    type: "progress.update",
    nodeId: "n",
    taskId: "j1",
    percent: 40,
    message: "sampling",
    eta: 65,
  });
  assert.deepEqual([run.phase, run.percent, run.message, formatEta(run.eta)], [
    "running",
    40,
    "sampling",
    "1:05 left",
  ]);
  run = { ...run, takes: [take("old", 1)] };
  run = onJobEvent(run, {
    type: "generation.complete",
    nodeId: "n",
    taskId: "j1",
    take: take("new", 2),
  });
  assert.deepEqual(run.takes.map((t) => t.id), ["new", "old"]);
  assert.equal(run.phase, "idle");
});

Deno.test("an error keeps the backend's message until the next run starts", () => {
  let run = onJobEvent(idleRun(), {
    type: "error.occurred",
    nodeId: "n",
    taskId: "j1",
    message: "CUDA out of memory",
  });
  assert.deepEqual([run.phase, run.error], ["failed", "CUDA out of memory"]);
  run = onJob(run, { id: "j2", nodeId: "n", state: "queued", tier: "low" });
  assert.equal(run.error, null);
});

Deno.test("a take that arrives twice is listed once", () => {
  assert.deepEqual(withTake([take("a", 1)], take("a", 1)).map((t) => t.id), ["a"]);
  assert.equal(formatEta(null), "");
});
