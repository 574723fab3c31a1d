/**
 * The agent end to end: a real edge over HTTP, the fake ComfyUI, and `run` in-process. Each
 * test queues jobs the way the studio does and checks what a user would see: job states,
 * takes and their bytes, what ComfyUI was asked, and what the agent printed.
 */
import assert from "node:assert/strict";
import { toHex } from "../../edge/lib/bytes.ts";
import { reapExpiredLeases } from "../../edge/services/jobs/reaper.ts";
import { MAKE_A_TOKEN } from "../../gpu-agent/cli/help.ts";
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
  await r.until("ComfyUI to see the agent's socket closed", () => r.fake.socketCount() === 0);
});

Deno.test("a workflow ComfyUI rejects fails the job for good, naming the node and the input", async () => {
  await using r = await rig();
  const agent = r.startAgent();
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  r.fake.setModels("checkpoints", []); // the model vanished after the agent's health check
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  const job = await r.until("the job to fail", async () => {
    const { job } = await r.job(jobId);
    return job.state === "failed" && job;
  });
  assert.equal(job.attempt, 1, "a validation error is not retried");
  assert.match(
    job.error ?? "",
    /CheckpointLoaderSimple .*\(node 4\) input ckpt_name: Value not in list/,
  );
  assert.deepEqual(await r.takes("still-1"), []);
});

Deno.test("a node that raises fails the job with the node type and the exception", async () => {
  await using r = await rig();
  r.fake.fail({
    classType: "VAEDecode",
    exceptionType: "RuntimeError",
    exceptionMessage: "Given groups=1, weight of size [4]",
  });
  r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  const job = await r.until("the job to fail", async () => {
    const { job } = await r.job(jobId);
    return job.state === "failed" && job;
  });
  assert.equal(
    job.error,
    'VAEDecode "Decode" (node 8) failed: RuntimeError: Given groups=1, weight of size [4]',
  );
});

Deno.test("canceling in the studio interrupts ComfyUI and the job ends canceled, without a take", async () => {
  await using r = await rig();
  r.fake.behaviour.stepMs = 50; // 40 steps: two seconds of sampling to cancel in
  let jobId = "";
  let canceled = false;
  r.fake.behaviour.hold = async ({ step }) => {
    if (step !== 2 || canceled) return;
    canceled = true;
    // The run can reach step 2 before the generate request has answered with the job id.
    await r.until("the job id", () => jobId !== "");
    const res = await fetch(`${r.edge.url}/api/projects/${r.projectId}/jobs/${jobId}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${r.user.token}` },
    });
    assert.equal(res.status, 200, await res.text());
  };
  const agent = r.startAgent();
  jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a long one", steps: 40 },
  });
  await r.until(
    "ComfyUI to be interrupted",
    () => r.fake.requests.some((q) => q.method === "POST" && q.path === "/interrupt"),
  );
  await r.until(
    "the agent to report the cancel",
    () => agent.logger.matching("canceled in the studio").length > 0,
  );
  const { job } = await r.job(jobId);
  assert.equal(job.state, "canceled");
  assert.deepEqual(await r.takes("still-1"), []);
  assert.ok(
    !r.fake.requests.some((q) => q.path.startsWith("/view")),
    "no output was fetched from ComfyUI",
  );
});

Deno.test("ComfyUI restarting mid-run hands the job back without spending an attempt, and the rerun succeeds", async () => {
  await using r = await rig();
  r.fake.behaviour.outputBytes = () => PNG;
  let restarting: Promise<void> | undefined;
  r.fake.behaviour.hold = ({ step }) => {
    if (step === 2 && !restarting) restarting = r.fake.restart({ downMs: 50 });
  };
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  const { job, events } = await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId);
    return detail.job.state === "succeeded" && detail;
  });
  await restarting;
  assert.equal(job.attempt, 1, "the lost run was the machine's fault: no attempt spent");
  assert.equal(job.infraFailures, 1);
  assert.equal(events.filter((e) => e.to === "leased").length, 2, "run twice");
  assert.ok(events.some((e) => e.to === "queued" && /lost prompt/.test(e.message ?? "")));
  assert.equal(agent.logger.matching("(back in the queue, no attempt spent)").length, 1);
  const [take] = await r.takes("still-1");
  assert.deepEqual(new Uint8Array(await (await fetch(take!.url)).arrayBuffer()), PNG);
});

Deno.test("an edge outage mid-job is logged once, ridden out, and the job still completes", async () => {
  await using r = await rig();
  r.fake.behaviour.outputBytes = () => PNG;
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let held = false;
  r.fake.behaviour.hold = async ({ step }) => {
    if (step !== 2 || held) return;
    held = true;
    await released;
  };
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the run to reach step 2", () => held);
  await r.edge.down();
  // Let the finished run try to report and upload against the dead edge for a while.
  release();
  await r.until(
    "the agent to notice the outage",
    () => agent.logger.matching("retrying").length > 0,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  r.edge.up();
  const { job } = await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId);
    return detail.job.state === "succeeded" && detail;
  });
  assert.equal(job.attempt, 1);
  assert.equal(agent.logger.matching("retrying").length, 1, "the outage is logged once");
  assert.equal(agent.logger.matching("back after").length, 1, "and the recovery once");
  assert.equal((await r.takes("still-1")).length, 1);
});

Deno.test("a lost lease (409) stops the job at once; it is not completed by the agent that lost it", async () => {
  await using r = await rig();
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let held = false;
  r.fake.behaviour.hold = async ({ step }) => {
    if (step !== 2 || held) return;
    held = true;
    await released;
  };
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the run to reach step 2", () => held);
  // The lease runs out (the agent looks silent to the edge) and the reaper takes the job back.
  r.edge.t.advance(60_000);
  const reaped = await reapExpiredLeases(r.edge.t.deps);
  assert.equal(reaped.requeued, 1);
  // The agent's next keep-alive is refused with 409: it interrupts ComfyUI at once.
  await r.until(
    "ComfyUI to be interrupted",
    () => r.fake.requests.some((q) => q.method === "POST" && q.path === "/interrupt"),
  );
  release();
  await r.until(
    "the agent to stop the job",
    () => agent.logger.matching("no longer holds the job").length > 0,
  );
  // The job went back to the queue and was claimed again: only that second attempt completes.
  const { job, events } = await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId);
    return detail.job.state === "succeeded" && detail;
  });
  assert.equal(job.attempt, 2);
  assert.equal(events.filter((e) => e.to === "succeeded").length, 1);
  assert.equal((await r.takes("still-1")).length, 1);
});

Deno.test("a finished job whose complete is cut off past its lease is still completed by its agent, and runs once", async () => {
  await using r = await rig();
  r.fake.behaviour.outputBytes = () => PNG;
  let completes = 0;
  // The outputs are uploaded; then the edge cannot be reached for the completion.
  r.edge.unreachable((request) => request.url.endsWith("/complete") && ++completes > 0);
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the agent to retry its completion", () => completes >= 2);
  // Longer than the lease: the reaper takes the job back, and no other agent claims it yet.
  r.edge.t.advance(60_000);
  assert.equal((await reapExpiredLeases(r.edge.t.deps)).requeued, 1);
  assert.equal((await r.job(jobId)).job.state, "queued");
  r.edge.unreachable(null);
  const { job, events } = await r.until("the job to succeed", async () => {
    const detail = await r.job(jobId);
    return detail.job.state === "succeeded" && detail;
  });
  assert.equal(job.attempt, 1, "not run a second time");
  assert.equal(job.error, null);
  assert.deepEqual(events.map((e) => e.to), ["queued", "leased", "running", "queued", "succeeded"]);
  const prompts = r.fake.requests.filter((q) => q.method === "POST" && q.path === "/prompt");
  assert.equal(prompts.length, 1, "ComfyUI ran it once");
  assert.equal(agent.logger.matching("no longer holds the job").length, 0);
  const takes = await r.takes("still-1");
  assert.equal(takes.length, 1);
  assert.deepEqual(new Uint8Array(await (await fetch(takes[0]!.url)).arrayBuffer()), PNG);
});

Deno.test("a revoked agent stops with exit 3 and says to enroll again", async () => {
  await using r = await rig();
  const agent = r.startAgent();
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  const res = await fetch(`${r.edge.url}/api/agents/${r.agentId}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${r.user.token}` },
  });
  assert.equal(res.status, 204);
  assert.equal(await agent.exit, 3);
  assert.match(
    agent.logger.lines.map((l) => l.message).join("\n"),
    /rejected this agent's credentials/,
  );
  const printed = agent.logger.lines.map((l) => l.message).join("\n");
  assert.ok(printed.includes(`fix: ${MAKE_A_TOKEN}`), printed);
});
