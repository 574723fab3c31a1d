/**
 * ComfyUI stopping mid-run, end to end: the run fails as the machine's fault, the agent marks
 * ComfyUI down and tells the edge at once, the job goes back to the queue without spending an
 * attempt, nothing else is claimed for a backend that is not there, and when ComfyUI is back
 * the agent says so and runs the jobs.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import { rig } from "./rig.ts";

Deno.test("ComfyUI stopping mid-run for 20 s burns no attempt: the job waits for it and then succeeds", async () => {
  await using r = await rig();
  let stopping: Promise<void> | undefined;
  r.fake.behaviour.hold = ({ step }) => {
    if (step === 2 && !stopping) stopping = r.fake.restart({ downMs: 20_000 });
  };
  const agent = r.startAgent();
  const first = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "x" },
  });
  const requeued = await r.until("the job to go back to the queue", async () => {
    const { job } = await r.job(first);
    console.log(job.state, job.attempt, job.error);
    return job.state === "queued" && job.infraFailures === 1 && job;
  });
  assert.equal(requeued.attempt, 0, "the lost run spent no attempt");
  const agents = await call(r.edge.t, "GET", "/api/agents", { token: r.user.token });
  assert.deepEqual(
    agents.body.agents[0].backends,
    ["ffmpeg"],
    "the agent took ComfyUI off its profile before the job went back",
  );
  assert.equal(agent.logger.matching("comfyui went away").length, 1);

  // While ComfyUI is away, another ComfyUI job is not offered to the agent (and so not failed).
  const second = await r.generate({
    id: "still-2",
    type: "image.generate",
    params: { prompt: "y" },
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (const id of [first, second]) {
    const { job } = await r.job(id);
    assert.equal(job.state, "queued");
    assert.equal(job.attempt, 0);
    assert.equal(job.waiting?.reason, "no_backend");
  }

  await stopping;
  for (const id of [first, second]) {
    const { job, events } = await r.until("the job to succeed", async () => {
      const detail = await r.job(id);
      return detail.job.state === "succeeded" && detail;
    });
    assert.equal(job.attempt, 1, "each job ran once");
    assert.ok(!events.some((e) => e.to === "failed"), "no job was failed meanwhile");
  }
  assert.equal(agent.logger.matching("comfyui went away").length, 1, "the outage is logged once");
  assert.equal(agent.logger.matching(/comfyui .*is back/).length, 1, "and the return once");
  assert.equal((await r.takes("still-1")).length, 1);
  assert.equal((await r.takes("still-2")).length, 1);
});
