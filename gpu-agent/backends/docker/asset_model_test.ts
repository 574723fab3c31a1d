/**
 * A project's model config asset, as a claimed job carries it, on a real Docker Engine: a
 * backend with no config of its own runs it in the same sandbox as its own configs; a config
 * that breaks the rules fails before any container exists; one whose image is missing is
 * handed back for another agent.
 */
import assert from "node:assert/strict";
import { containersOf, engine, needsEngine, testImage } from "../../../test/docker/engine.ts";
import type { ClaimedModelConfig } from "../../../protocol/jobs.ts";
import { JobFailure } from "../backend.ts";
import { DockerBackend } from "./backend.ts";
import { defaultUser } from "./plan.ts";

async function assetConfig(extra: Record<string, unknown> = {}): Promise<ClaimedModelConfig> {
  return {
    assetId: crypto.randomUUID(),
    version: 3,
    name: "Shared probe",
    config: {
      id: "shared-probe",
      title: "Shared probe",
      implements: [{ nodeType: "image.generate", tiers: ["low"] }],
      image: await testImage(),
      command: ["model", "probe"],
      outputs: [{ glob: "*.png", kind: "image" }],
      gpu: false,
      vramMiB: 0,
      memoryMiB: 200,
      pidsLimit: 50,
      ...extra,
    },
  };
}

async function setup() {
  const agentId = `test-${crypto.randomUUID()}`;
  const backend = new DockerBackend({ engine, models: [], agentId, graceSeconds: 1 });
  const status = await backend.probe();
  const workDir = await Deno.makeTempDir({ prefix: "md-docker-asset-" });
  return {
    backend,
    status,
    agentId,
    async run(modelConfig: ClaimedModelConfig) {
      return await backend.run({
        jobId: crypto.randomUUID(),
        nodeType: "image.generate",
        tier: "low",
        params: { prompt: "a door" },
        inputs: [],
        modelConfig,
        workDir: await Deno.makeTempDir({ dir: workDir }),
      }, { signal: new AbortController().signal, onProgress: () => {} });
    },
    async [Symbol.asyncDispose]() {
      await backend.settled();
      assert.deepEqual(await containersOf(agentId), [], "a container was left behind");
      await Deno.remove(workDir, { recursive: true });
    },
  };
}

Deno.test({
  name: "a model config asset runs on a backend without configs of its own, in the same sandbox",
  ...needsEngine,
  async fn() {
    await using t = await setup();
    assert.equal(t.status.healthy, true);
    assert.equal(t.status.modelConfigs, true, "it says it runs model config assets");
    assert.deepEqual(t.status.templates, [], "it has no config of its own");
    assert.equal(t.backend.runsModelConfigs(), true);
    let inspected = null;
    const running = t.run(await assetConfig());
    for (let i = 0; i < 500 && !inspected; i++) {
      const [found] = await containersOf(t.agentId);
      inspected = found ? await engine.inspect(found.Id) : null;
      if (!inspected) await new Promise((r) => setTimeout(r, 10));
    }
    const result = await running;
    assert.equal(result.template, "shared-probe");
    assert.ok(inspected, "the container was seen");
    assert.equal(inspected.HostConfig.Memory, 200 * 1024 * 1024);
    assert.equal(inspected.HostConfig.PidsLimit, 50);
    assert.equal(inspected.HostConfig.NetworkMode, "none");
    assert.equal(inspected.HostConfig.ReadonlyRootfs, true);
    assert.equal(inspected.HostConfig.Privileged, false);
    assert.deepEqual(inspected.HostConfig.CapDrop, ["ALL"]);
    assert.deepEqual(inspected.HostConfig.SecurityOpt, ["no-new-privileges"]);
    assert.equal(inspected.Config.User, defaultUser());
    const probe = await Deno.readTextFile(
      result.outputs[0]!.path.replace(/probe\.png$/, "probe.txt"),
    );
    assert.match(probe, /^interfaces=lo $/m, "no network but loopback");
    assert.match(probe, /^root=read-only$/m);
    assert.match(probe, /^caps=0000000000000000$/m);
    assert.doesNotMatch(probe, /^uid=0 /m, "not root");
  },
});

Deno.test({
  name: "a model config asset that breaks the rules fails for good before any container exists",
  ...needsEngine,
  async fn() {
    await using t = await setup();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ privileged: true }, /privileged: Docker models never run privileged/],
      [{ command: ["model", "{prompt}.png"] }, /command\.1: /],
      [{ command: ["model", "{size}"] }, /unknown placeholder \{size\}/],
      [{ volumes: [{ volume: "/etc", target: "/weights" }] }, /volumes\.0\.volume: .*host path/],
      [{ user: "0" }, /user: .*root/],
    ];
    const seen: string[] = [];
    for (const [extra, message] of cases) {
      const error = await t.run(await assetConfig(extra)).catch((e) => e);
      assert.ok(error instanceof JobFailure, String(error));
      assert.equal(error.code, "validation");
      assert.match(error.message, /^model config "Shared probe" v3: /);
      assert.match(error.message, message);
      seen.push(...(await containersOf(t.agentId)).map((c) => c.Id));
    }
    assert.deepEqual(seen, [], "no container was made");
  },
});

Deno.test({
  name: "a model config asset gets no network and only the volumes the agent's own configs mount",
  ...needsEngine,
  async fn() {
    await using t = await setup();
    const network = await t.run(await assetConfig({ network: true })).catch((e) => e);
    assert.ok(network instanceof JobFailure, String(network));
    assert.equal(network.code, "cannot_run");
    assert.match(network.message, /asks for network access.*copy it into your models folder/);
    const volume = await t.run(
      await assetConfig({ volumes: [{ volume: "owner-secrets", target: "/secrets" }] }),
    ).catch((e) => e);
    assert.ok(volume instanceof JobFailure, String(volume));
    assert.equal(volume.code, "cannot_run");
    assert.match(volume.message, /mounts volume owner-secrets, which none of your own/);
    assert.deepEqual(await containersOf(t.agentId), [], "no container was made");
  },
});

Deno.test({
  name:
    "a model config asset whose image this engine lacks goes back for another agent, with the fix",
  ...needsEngine,
  async fn() {
    await using t = await setup();
    const error = await t.run(await assetConfig({ image: "md-absent/model:1.0" })).catch((e) => e);
    assert.ok(error instanceof JobFailure, String(error));
    assert.equal(error.code, "cannot_run");
    assert.match(error.message, /`docker pull md-absent\/model:1\.0`/);
    // Not even where pulls are allowed: someone else's config never makes this agent pull.
    const pulling = new DockerBackend({ engine, models: [], agentId: t.agentId, pull: true });
    await pulling.probe();
    const workDir = await Deno.makeTempDir({ prefix: "md-docker-asset-" });
    const refused = await pulling.run({
      jobId: crypto.randomUUID(),
      nodeType: "image.generate",
      tier: "low",
      params: { prompt: "a door" },
      inputs: [],
      modelConfig: await assetConfig({ image: "md-absent/model:1.0" }),
      workDir,
    }, { signal: new AbortController().signal, onProgress: () => {} }).catch((e) => e);
    await Deno.remove(workDir, { recursive: true });
    assert.equal(refused.code, "cannot_run");
    assert.match(refused.message, /never pulls one/);
  },
});
