/**
 * Docker models beyond the agent's own folder, end to end (the agent's `run` through the real
 * edge, a real Docker Engine): a model config uploaded to the project's library runs on an agent
 * that has no config of its own; and a transition node runs on a Docker model that implements
 * transitions, chosen over ffmpeg, with both clips as its inputs.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import { DockerBackend } from "../../gpu-agent/backends/docker/backend.ts";
import { parseModelConfig } from "../../protocol/docker_models/model_config.ts";
import { containersOf, engine, needsEngine, testImage } from "../docker/engine.ts";
import { rig } from "./rig.ts";

Deno.test({
  name: "a model config from the project's library runs on an agent with no config of its own",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    const uploaded = await call(
      r.edge.t,
      "POST",
      `/api/projects/${r.projectId}/assets/model-configs`,
      {
        token: r.user.token,
        body: {
          name: "Team still model",
          config: {
            id: "team-still",
            title: "Team still",
            implements: [{ nodeType: "image.generate", tiers: ["low"] }],
            image: await testImage(),
            command: ["model", "steps", "{steps}", "0.02", "0", "still.png"],
            outputs: [{ glob: "*.png", kind: "image" }],
            gpu: false,
            vramMiB: 0,
            memoryMiB: 256,
          },
        },
      },
    );
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const docker = new DockerBackend({ engine, models: [], agentId: r.agentId });
    // The fake ComfyUI has an image.generate template at low: the job must still go to Docker.
    const agent = r.startAgent({ backends: ([comfy, ffmpeg]) => [comfy!, ffmpeg!, docker] });
    const jobId = await r.generate({
      id: "still",
      type: "image.generate",
      tier: "low",
      params: { prompt: "a door", steps: 2, modelConfigAssetId: uploaded.body.asset.id },
    });
    const job = await r.ended(jobId);
    assert.equal(job.state, "succeeded", job.error ?? "");
    const [take] = await r.takes("still");
    assert.equal(take?.lineage.template, "team-still");
    assert.equal(await (await fetch(take!.url)).text(), "data still.png\n");
    assert.ok(!r.fake.requests.some((q) => q.path === "/prompt"), "ComfyUI ran nothing");
    await docker.settled();
    assert.deepEqual(await containersOf(r.agentId), []);
    agent.signal();
    assert.equal(await agent.exit, 0);
  },
});

Deno.test({
  name: "a transition runs on a Docker model that implements it, with both clips as inputs",
  ...needsEngine,
  async fn() {
    await using r = await rig();
    r.fake.behaviour.outputBytes = () => new TextEncoder().encode("a shot's frames");
    const model = parseModelConfig("fade.json", {
      id: "fade",
      title: "Test transition",
      implements: [{ nodeType: "transition", tiers: ["standard"] }],
      image: await testImage(),
      command: ["model", "copy", "{inputs.to}", "faded.mp4"],
      inputs: [
        { socket: "from", path: "/inputs/from.mp4" },
        { socket: "to", path: "/inputs/to.mp4" },
      ],
      outputs: [{ glob: "*.mp4", kind: "video" }],
      gpu: false,
      vramMiB: 0,
      memoryMiB: 256,
    });
    const docker = new DockerBackend({ engine, models: [model], agentId: r.agentId });
    r.startAgent({ backends: ([comfy, ffmpeg]) => [comfy!, ffmpeg!, docker] });
    const node = (id: string, type: string) => ({ id, type, title: id, x: 0, y: 0, params: {} });
    const edge = (id: string, from: string, to: string) => ({
      id,
      from: { node: from, socket: "video" },
      to: { node: "fade", socket: to },
    });
    await r.saveGraph({
      nodes: {
        a: node("a", "shot.generate"),
        b: node("b", "shot.generate"),
        fade: node("fade", "transition"),
      },
      edges: { e1: edge("e1", "a", "from"), e2: edge("e2", "b", "to") },
    });
    for (const id of ["a", "b"]) {
      const shot = await r.generate({
        id,
        type: "shot.generate",
        tier: "low",
        params: { prompt: id },
      });
      assert.equal((await r.ended(shot)).state, "succeeded");
    }
    const jobId = await r.generate({ id: "fade", type: "transition", params: { seconds: 1 } });
    const job = await r.ended(jobId);
    assert.equal(job.state, "succeeded", job.error ?? "");
    assert.equal(
      job.rationale,
      "docker fade: Test transition; chosen over ffmpeg: first in the catalog's order",
    );
    const [take] = await r.takes("fade");
    assert.equal(take?.contentType, "video/mp4");
    assert.equal(take?.lineage.template, "fade");
    assert.equal(await (await fetch(take!.url)).text(), "a shot's frames");
  },
});
