import assert from "node:assert/strict";
import type { JobSummary, Take } from "../api/types.ts";
import {
  formatEta,
  idleRun,
  latestJobs,
  onJob,
  onJobEvent,
  onJobRead,
  selectedTake,
  withTake,
} from "./runs.ts";

/** A job as the edge's job routes return it. */
const job = (over: Partial<JobSummary> & Pick<JobSummary, "id" | "state">): JobSummary => ({
  nodeId: "n",
  nodeType: "gen.image",
  tier: "standard",
  requestedTier: "standard",
  rationale: null,
  progress: null,
  error: null,
  waiting: null,
  attempt: 0,
  maxAttempts: 3,
  agentId: null,
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

const take = (id: string, createdAt: number) =>
  ({ id, createdAt, name: `${id}.mp4` }) as unknown as Take;

Deno.test("progress shows percent, message and ETA; completion adds the take newest first", () => {
  let run = onJob(idleRun(), job({ id: "j1", state: "queued" }));
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

Deno.test("a take's late poster replaces that take in place and leaves the node's next run running", () => {
  const bare = { ...take("t1", 2), posterUrl: null };
  let run = onJobEvent(idleRun(), {
    type: "generation.complete",
    nodeId: "n",
    taskId: "j1",
    take: bare,
  });
  run = { ...run, takes: [...run.takes, take("t0", 1)] };
  run = onJobEvent(run, {
    type: "progress.update",
    nodeId: "n",
    taskId: "j2",
    percent: 10,
    message: "sampling",
  });
  const described = { ...bare, posterUrl: "/poster.jpg" };
  run = onJobEvent(run, { type: "take.described", nodeId: "n", taskId: "j1", take: described });
  assert.deepEqual(run.takes.map((t) => [t.id, t.posterUrl]), [
    ["t1", "/poster.jpg"],
    ["t0", undefined],
  ]);
  assert.deepEqual([run.phase, run.jobId, run.percent], ["running", "j2", 10]);
});

Deno.test("an error keeps the backend's message until the next run starts", () => {
  let run = onJobEvent(idleRun(), {
    type: "error.occurred",
    nodeId: "n",
    taskId: "j1",
    message: "CUDA out of memory",
    state: "failed",
  });
  assert.deepEqual([run.phase, run.error], ["failed", "CUDA out of memory"]);
  run = onJob(run, job({ id: "j2", state: "queued" }));
  assert.equal(run.error, null);
});

Deno.test("a take that arrives twice is listed once", () => {
  assert.deepEqual(withTake([take("a", 1)], take("a", 1)).map((t) => t.id), ["a"]);
  assert.equal(formatEta(null), "");
});

Deno.test("a job read on page load shows its progress and why a queued one waits", () => {
  const running = onJob(
    idleRun(),
    job({
      id: "j1",
      state: "running",
      progress: { percent: 35, message: "KSampler 7/20", etaSeconds: 12, at: 5 },
    }),
  );
  assert.deepEqual([running.phase, running.percent, running.message, formatEta(running.eta)], [
    "running",
    35,
    "KSampler 7/20",
    "0:12 left",
  ]);
  const queued = onJob(
    idleRun(),
    job({
      id: "j2",
      state: "queued",
      waiting: { reason: "no_agent_online", message: "no GPU agent is online" },
    }),
  );
  assert.equal(queued.message, "no GPU agent is online");
});

Deno.test("each node shows its newest job", () => {
  const latest = latestJobs([
    job({ id: "new", state: "running", createdAt: 9 }),
    job({ id: "old", state: "failed", createdAt: 2 }),
    job({ id: "other", state: "queued", nodeId: "m", createdAt: 3 }),
  ]);
  assert.deepEqual([latest.get("n")?.id, latest.get("m")?.id], ["new", "other"]);
});

Deno.test("a late error of an earlier job does not override the run in flight", () => {
  const run = onJob(idleRun(), job({ id: "j2", state: "running" }));
  const after = onJobEvent(run, {
    type: "error.occurred",
    nodeId: "n",
    taskId: "j1",
    message: "x",
    state: "failed",
  });
  assert.equal(after.phase, "running");
});

Deno.test("a cancel reported by the room reads as canceled, not as a failure", () => {
  const run = onJob(idleRun(), job({ id: "j1", state: "running" }));
  const after = onJobEvent(run, {
    type: "error.occurred",
    nodeId: "n",
    taskId: "j1",
    message: "canceled by Ana",
    state: "canceled",
  });
  assert.deepEqual([after.phase, after.message, after.error], [
    "canceled",
    "canceled by Ana",
    null,
  ]);
});

Deno.test("a downgrade stays shown for the whole run, beside why it waits; preview frames follow the job", () => {
  const rationale = "high→standard: largest online GPU 16 GB";
  let run = onJob(
    idleRun(),
    job({
      id: "j1",
      state: "queued",
      tier: "standard",
      requestedTier: "high",
      rationale,
      waiting: { reason: "agents_busy", message: "waiting for a free agent" },
    }),
  );
  assert.deepEqual([run.message, run.rationale], ["waiting for a free agent", rationale]);
  const progress = { type: "progress.update", nodeId: "n", percent: 10, message: "s" } as const;
  run = onJobEvent(run, { ...progress, taskId: "j1", previewAt: 5 });
  assert.deepEqual([run.rationale, run.previewAt], [rationale, 5], "kept from the job");
  run = onJobEvent(run, { ...progress, taskId: "j1" });
  assert.equal(run.previewAt, 5, "the last frame stays until a newer one");
  run = onJobEvent(run, { ...progress, taskId: "j2" });
  assert.deepEqual([run.rationale, run.previewAt], [null, null], "another job: none of it");
});

Deno.test("the selected take: the newest until someone chooses; a new take does not unseat a choice", () => {
  const complete = (id: string, at: number) => ({
    type: "generation.complete" as const,
    nodeId: "n",
    taskId: `j-${id}`,
    take: take(id, at) as unknown as { id: string },
  });
  const chosen = (takeId: string, at: number, name = "Ben") => ({
    type: "take.selected" as const,
    nodeId: "n",
    takeId,
    by: { userId: name.toLowerCase(), name },
    at,
  });
  let run = onJobEvent(onJobEvent(idleRun(), complete("t1", 1)), complete("t2", 2));
  assert.equal(selectedTake(run)?.id, "t2");
  run = onJobEvent(run, chosen("t1", 10));
  assert.equal(selectedTake(run)?.id, "t1");
  run = onJobEvent(run, complete("t3", 3));
  assert.equal(selectedTake(run)?.id, "t1", "a new take is not selected over a choice");
  assert.deepEqual(run.chosen, { takeId: "t1", by: "Ben", at: 10 });
  // A reload's read that lands after a newer choice arrived live does not undo it.
  run = onJobEvent(run, chosen("t3", 20, "Ana"));
  run = onJobEvent(run, chosen("t1", 10));
  assert.equal(selectedTake(run)?.id, "t3");
  assert.equal(selectedTake(idleRun()), undefined);
});

Deno.test("a queued job read again shows its new ETA; a running one gains its pool, keeping the room's progress", () => {
  const eta = { seconds: 240, ahead: 2, agents: 2, text: "~4 min: 2 ahead on 2 agents with 24 GB" };
  let run = onJob(idleRun(), job({ id: "j1", state: "queued" }));
  assert.equal(run.queueEta, null);
  run = onJobRead(run, job({ id: "j1", state: "queued", eta }));
  assert.equal(run.queueEta?.text, eta.text);
  // A read of another job (an older one of the node) changes nothing.
  assert.equal(onJobRead(run, job({ id: "j0", state: "queued" })), run);
  run = onJobEvent(run, {
    type: "progress.update",
    nodeId: "n",
    taskId: "j1",
    percent: 40,
    message: "sampling",
  });
  assert.equal(run.queueEta, null);
  const footprint = { source: "declared" as const, vramMiB: 12_288, declaredMiB: 12_288 };
  run = onJobRead(
    run,
    job({
      id: "j1",
      state: "running",
      progress: { percent: 10, message: "older", at: 0 },
      pool: { id: "p", name: "Render Farm" },
      footprint,
    }),
  );
  assert.equal(run.percent, 40);
  assert.equal(run.message, "sampling");
  assert.equal(run.pool?.name, "Render Farm");
  assert.deepEqual(run.footprint, footprint);
});
