/**
 * Staged shutdown end to end: the first Ctrl-C finishes the running job and claims no more, the
 * second interrupts it and hands it back to the queue, the third exits at once.
 */
import assert from "node:assert/strict";
import { rig } from "./rig.ts";

/** Holds the fake ComfyUI at sampling step 2 of the first run until `release()`. */
function holdAtStep2(r: Awaited<ReturnType<typeof rig>>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const state = { held: false, release: () => release() };
  r.fake.behaviour.hold = async ({ step }) => {
    if (step !== 2 || state.held) return;
    state.held = true;
    await released;
  };
  return state;
}

Deno.test("first Ctrl-C: the running job finishes and completes, the next one stays queued, exit 0", async () => {
  await using r = await rig();
  const hold = holdAtStep2(r);
  const agent = r.startAgent();
  const first = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the run to reach step 2", () => hold.held);
  agent.signal();
  const second = await r.generate({
    id: "still-2",
    type: "image.generate",
    params: { prompt: "y" },
  });
  hold.release();
  assert.equal(await agent.exit, 0);
  assert.equal((await r.job(first)).job.state, "succeeded");
  assert.equal((await r.job(second)).job.state, "queued", "no claim after the first Ctrl-C");
  assert.match(agent.logger.matching("stopping")[0] ?? "", /finishing the running job/);
});

Deno.test("second Ctrl-C: the job is interrupted in ComfyUI and released to the queue, exit 130", async () => {
  await using r = await rig();
  const hold = holdAtStep2(r);
  const agent = r.startAgent();
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  await r.until("the run to reach step 2", () => hold.held);
  agent.signal();
  agent.signal();
  await r.until(
    "ComfyUI to be interrupted",
    () => r.fake.requests.some((q) => q.method === "POST" && q.path === "/interrupt"),
  );
  hold.release();
  assert.equal(await agent.exit, 130);
  const { job, events } = await r.job(jobId);
  assert.equal(job.state, "queued");
  assert.equal(job.attempt, 0, "a released job does not spend an attempt");
  assert.match(events.at(-1)?.message ?? "", /released by test-rig: agent interrupted/);
  assert.deepEqual(agent.exitedNow, []);
});

Deno.test("third Ctrl-C exits at once with 130", async () => {
  await using r = await rig();
  const hold = holdAtStep2(r);
  const agent = r.startAgent();
  await r.generate({ id: "still-1", type: "image.generate", params: { prompt: "x" } });
  await r.until("the run to reach step 2", () => hold.held);
  agent.signal();
  agent.signal();
  agent.signal();
  assert.deepEqual(agent.exitedNow, [130]);
  hold.release();
  assert.equal(await agent.exit, 130);
});
