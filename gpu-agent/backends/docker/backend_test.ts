/**
 * The Docker backend against a real Docker Engine (test/docker/engine.ts) and the test model's
 * image built on it: success with progress and outputs, a non-zero exit, a timeout, a cancel
 * mid-run, a missing output, the sandbox as the model sees it, injection attempts in parameters,
 * a missing image, pulls, GPU requests on a machine without the NVIDIA runtime, and an engine
 * that does not answer. Every run must leave no container behind.
 */
import assert from "node:assert/strict";
import { containersOf, engine, needsEngine, testImage } from "../../../test/docker/engine.ts";
import { MemoryLogger } from "../../log/memory_logger.ts";
import { type BackendJob, JobFailure, type ProgressReport } from "../backend.ts";
import { DockerBackend } from "./backend.ts";
import { DockerEngine } from "./engine.ts";
import { parseModelConfig } from "../../../protocol/docker_models/model_config.ts";
import { defaultUser } from "./plan.ts";
import { runContainer } from "./run_container.ts";

const STEPS = "step (?<step>\\d+)/(?<total>\\d+)";

async function setup(config: Record<string, unknown>, options: { pull?: boolean } = {}) {
  const model = parseModelConfig("test.json", {
    id: "test-model",
    title: "Test model",
    implements: [{ nodeType: "image.generate", tiers: ["low", "standard", "high"] }],
    image: await testImage(),
    outputs: [{ glob: "*.png", kind: "image" }],
    gpu: false,
    vramMiB: 0,
    memoryMiB: 256,
    pidsLimit: 64,
    timeoutSeconds: 60,
    progress: { pattern: STEPS },
    ...config,
  });
  const agentId = `test-${crypto.randomUUID()}`;
  const backend = new DockerBackend({
    engine,
    models: [model],
    agentId,
    graceSeconds: 1,
    reportIntervalMs: 10,
    ...options,
  });
  const status = await backend.probe();
  const workDir = await Deno.makeTempDir({ prefix: "md-docker-job-" });
  const reports: ProgressReport[] = [];
  return {
    backend,
    status,
    agentId,
    workDir,
    reports,
    async run(
      params: Record<string, unknown> = {},
      more: Partial<BackendJob> = {},
      signal?: AbortSignal,
    ) {
      return await backend.run({
        jobId: crypto.randomUUID(),
        nodeType: "image.generate",
        tier: "low",
        params: { prompt: "a red door", ...params },
        inputs: [],
        // A folder per job, as the agent gives each.
        workDir: await Deno.makeTempDir({ dir: workDir }),
        ...more,
      }, { signal: signal ?? new AbortController().signal, onProgress: (r) => reports.push(r) });
    },
    async [Symbol.asyncDispose]() {
      // Nothing of this backend may be left on the engine, whatever the test did (once the
      // removals of finished jobs' containers, which jobs do not wait for, are done).
      await backend.settled();
      assert.deepEqual(await containersOf(agentId), [], "a container was left behind");
      await Deno.remove(workDir, { recursive: true });
    },
  };
}

Deno.test({
  name: "a run streams its steps as progress and hands back the files its config names",
  ...needsEngine,
  async fn() {
    await using t = await setup({
      command: ["model", "steps", "{steps}", "0.05", "0", "result.png", "notes.txt"],
    });
    assert.equal(t.status.healthy, true);
    assert.deepEqual(t.status.templates, ["test-model"]);
    assert.ok(t.backend.canRun("image.generate", "low"));
    const result = await t.run({ steps: 3 });
    assert.equal(result.template, "test-model");
    assert.deepEqual(result.params, { steps: 3 });
    assert.equal(result.outputs.length, 1);
    assert.equal(result.outputs[0]!.contentType, "image/png");
    assert.equal(await Deno.readTextFile(result.outputs[0]!.path), "data result.png\n");
    const steps = t.reports.filter((r) => r.step).map((r) => r.step!.current);
    assert.ok(steps.length >= 1 && steps.at(-1) === 3, `steps ${steps}`);
    assert.deepEqual(steps, [...steps].sort());
    const last = t.reports.findLast((r) => r.step)!;
    assert.deepEqual(last, { percent: 100, message: "step 3/3", step: { current: 3, total: 3 } });
  },
});

Deno.test({
  name: "a job ends without waiting for its container's removal, which still always happens",
  ...needsEngine,
  async fn() {
    // An engine slow to delete containers (as under load): the job must not wait for it.
    class SlowRemoval extends DockerEngine {
      override async remove(id: string, signal?: AbortSignal) {
        await new Promise((r) => setTimeout(r, 1500));
        return await super.remove(id, signal);
      }
    }
    const slow = new SlowRemoval(engine.socket);
    const model = parseModelConfig("quick.json", {
      id: "quick",
      title: "Quick",
      implements: [{ nodeType: "image.generate", tiers: ["low"] }],
      image: await testImage(),
      command: ["model", "steps", "1", "0", "0", "out.png"],
      outputs: [{ glob: "*.png", kind: "image" }],
      gpu: false,
      vramMiB: 0,
      memoryMiB: 256,
    });
    const agentId = `test-${crypto.randomUUID()}`;
    const backend = new DockerBackend({ engine: slow, models: [model], agentId });
    await backend.probe();
    const workDir = await Deno.makeTempDir({ prefix: "md-docker-job-" });
    try {
      const result = await backend.run({
        jobId: crypto.randomUUID(),
        nodeType: "image.generate",
        tier: "low",
        params: { prompt: "a" },
        inputs: [],
        workDir,
      }, { signal: new AbortController().signal, onProgress: () => {} });
      assert.equal(await Deno.readTextFile(result.outputs[0]!.path), "data out.png\n");
      const [left] = await containersOf(agentId);
      assert.equal(left?.State, "exited", "the job ended before its container was removed");
      // The agent's stop waits for it.
      await backend.close();
      assert.deepEqual(await containersOf(agentId), [], "removed once the agent stops");
    } finally {
      slow.close();
      await Deno.remove(workDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a non-zero exit fails the job with the code and the last lines of stderr",
  ...needsEngine,
  async fn() {
    await using t = await setup({ command: ["model", "steps", "2", "0", "3"] });
    await assert.rejects(
      t.run(),
      (e: JobFailure) =>
        e.code === "runtime" && !e.retriable &&
        e.message === "test-model exited with code 3:\nwarming up\nmodel failed: exit 3",
    );
  },
});

Deno.test({
  name: "a run past the config's timeout is stopped and fails saying so",
  ...needsEngine,
  async fn() {
    await using t = await setup({
      command: ["model", "steps", "1000", "0.1", "0", "late.png"],
      timeoutSeconds: 1,
    });
    await assert.rejects(
      t.run(),
      (e: JobFailure) =>
        e.code === "runtime" &&
        e.message === "timed out after 1 s (the model config's timeoutSeconds); stopped",
    );
    assert.ok(t.reports.some((r) => r.step), "it had started");
  },
});

Deno.test({
  name: "a cancel mid-run stops the container and removes it; the job ends canceled",
  ...needsEngine,
  async fn() {
    await using t = await setup({ command: ["model", "steps", "1000", "0.1", "0", "late.png"] });
    const abort = new AbortController();
    const running = t.run({}, {}, abort.signal);
    const failed = assert.rejects(running, (e: JobFailure) => e.code === "canceled");
    for (let i = 0; i < 500 && !t.reports.some((r) => r.step); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // The engine's container list catches up with a start a moment later.
    let container;
    for (let i = 0; i < 500 && container?.State !== "running"; i++) {
      [container] = await containersOf(t.agentId);
      if (container?.State !== "running") await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(container?.State, "running");
    abort.abort();
    await failed;
    assert.equal(await engine.inspect(container!.Id), null, "the container is gone");
  },
});

Deno.test({
  name: "a cancel asks the model to stop first (SIGTERM), then kills one that carries on",
  ...needsEngine,
  async fn() {
    // graceSeconds is 1 here (setup): SIGTERM, then SIGKILL a second later.
    await using t = await setup({ command: ["model", "stubborn"] });
    const abort = new AbortController();
    const workDir = await Deno.makeTempDir({ dir: t.workDir });
    const running = t.run({}, { workDir }, abort.signal);
    const failed = assert.rejects(running, (e: JobFailure) => e.code === "canceled");
    for (let i = 0; i < 500 && !t.reports.some((r) => r.step); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(t.reports.some((r) => r.step), "it had started");
    abort.abort();
    await failed;
    // The model wrote what it saw into its output folder, which the agent leaves in place.
    const seen = (await Deno.readTextFile(`${workDir}/docker/outputs/term.txt`)).split("\n");
    assert.equal(seen[0], "TERM", "SIGTERM came first");
    assert.ok(seen.includes("alive"), "it carried on after SIGTERM until it was killed");
  },
});

Deno.test({
  name: "a run that leaves no file matching its glob fails naming the glob",
  ...needsEngine,
  async fn() {
    await using t = await setup({ command: ["model", "steps", "1", "0", "0", "only.txt"] });
    await assert.rejects(
      t.run(),
      (e: JobFailure) =>
        e.code === "output" &&
        e.message === "the model finished without an output matching *.png in /outputs",
    );
  },
});

Deno.test({
  name: "a model's link to a host file is refused as an output, not uploaded",
  ...needsEngine,
  async fn() {
    await using t = await setup({ command: ["model", "link"] });
    await assert.rejects(
      t.run(),
      (e: JobFailure) =>
        e.code === "output" && /passwd\.png is a link or special file/.test(e.message),
    );
  },
});

Deno.test({
  name:
    "inside, the model has no network, a read-only root, read-only inputs, no capabilities, and is not root",
  ...needsEngine,
  async fn() {
    await using t = await setup({
      command: ["model", "probe"],
      inputs: [{ socket: "reference", path: "/inputs/ref.png" }],
      memoryMiB: 300,
      pidsLimit: 77,
    });
    const input = `${t.workDir}/reference.png`;
    await Deno.writeTextFile(input, "the reference");
    let inspected = null;
    const running = t.run({}, {
      inputs: [{ socket: "reference", url: `file://${input}`, contentType: "image/png" }],
    });
    // Read the limits back from the engine while the container exists.
    for (let i = 0; i < 500 && !inspected; i++) {
      const [found] = await containersOf(t.agentId);
      inspected = found ? await engine.inspect(found.Id) : null;
      if (!inspected) await new Promise((r) => setTimeout(r, 10));
    }
    const result = await running;
    assert.ok(inspected, "the container was seen");
    assert.equal(inspected.HostConfig.Memory, 300 * 1024 * 1024);
    assert.equal(inspected.HostConfig.PidsLimit, 77);
    assert.equal(inspected.HostConfig.NetworkMode, "none");
    assert.equal(inspected.HostConfig.ReadonlyRootfs, true);
    assert.equal(inspected.HostConfig.Privileged, false);
    assert.deepEqual(inspected.HostConfig.CapDrop, ["ALL"]);
    assert.deepEqual(inspected.HostConfig.SecurityOpt, ["no-new-privileges"]);
    assert.equal(inspected.Config.User, defaultUser());
    const writable = inspected.Mounts.filter((m) => m.RW && m.Type === "bind");
    assert.deepEqual(writable.map((m) => m.Destination), ["/outputs"]);

    const probe = Object.fromEntries(
      (await Deno.readTextFile(result.outputs[0]!.path.replace(/probe\.png$/, "probe.txt")))
        .trim().split("\n").map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const [uid, gid] = defaultUser().split(":");
    assert.equal(probe.uid, `${uid} gid=${gid}`);
    assert.notEqual(uid, "0");
    assert.equal(probe.interfaces.trim(), "lo");
    assert.match(probe.connect, /Network is unreachable/);
    assert.equal(probe.root, "read-only");
    assert.equal(probe.tmp, "writable");
    assert.equal(probe.caps, "0000000000000000");
    assert.equal(probe.no_new_privs, "1");
    assert.equal(probe.input, "the reference");
    assert.equal(probe.input_file, "read-only");
    assert.equal(await Deno.readTextFile(input), "the reference");
    // What it wrote is its user's, in the job's own folder.
    assert.equal((await Deno.stat(result.outputs[0]!.path)).uid, Number(uid));
  },
});

Deno.test({
  name:
    "with network: true the container gets the engine's bridge (the control for the test above)",
  ...needsEngine,
  ignore: needsEngine.ignore ||
    !(await engine.request("GET", "/networks/bridge").then(() => true, () => false)),
  async fn() {
    await using t = await setup({ command: ["model", "probe"], network: true });
    const result = await t.run();
    const probe = await Deno.readTextFile(result.outputs[0]!.path.replace(/\.png$/, ".txt"));
    assert.match(probe, /interfaces=.*eth0/);
    assert.doesNotMatch(probe, /Network is unreachable/);
    assert.match(
      t.backend.rationale({ nodeType: "image.generate", tier: "low", inputs: [] }),
      /with network access/,
    );
  },
});

Deno.test({
  name:
    "injection attempts in parameters arrive as literal single argv elements and change nothing",
  ...needsEngine,
  async fn() {
    await using t = await setup({
      command: ["model", "argv", "--prompt", "{prompt}", "--negative={negativePrompt}", "{steps}"],
    });
    const attempts = [
      `"; rm -rf /`,
      "$(id)",
      "`touch /outputs/pwned.png`",
      "first line\nsecond line",
      "--steps=1000",
      "-rf",
      "' || echo pwned > /outputs/pwned.png '",
    ];
    for (const prompt of attempts) {
      const result = await t.run({ prompt, negativePrompt: "$(reboot)", steps: 7 });
      const dir = result.outputs[0]!.path.replace(/\/[^/]+$/, "");
      const argv = (await Deno.readTextFile(`${dir}/argv.bin`)).split("\0").slice(0, -1);
      assert.deepEqual(argv, ["--prompt", prompt, "--negative=$(reboot)", "7"]);
      assert.deepEqual(result.outputs.map((o) => o.path.split("/").at(-1)), ["argv.png"]);
    }
  },
});

Deno.test({
  name: "a missing image blocks its pairs with the fix, and a job of it goes back untouched",
  ...needsEngine,
  async fn() {
    await using t = await setup({ command: ["model", "argv"], image: "md-test-model:absent" });
    assert.equal(t.status.healthy, true);
    assert.deepEqual(t.status.runnable, []);
    assert.deepEqual(t.status.blocked?.[0], {
      nodeType: "image.generate",
      tier: "low",
      template: "test-model",
      missingModels: [{ folder: "images", file: "md-test-model:absent" }],
      missingClasses: [],
    });
    assert.match(
      t.backend.describe().at(-1)!,
      /^test-model \(image\.generate at low, standard, high\): md-test-model:absent: image md-test-model:absent is not present: `docker pull md-test-model:absent` or build it/,
    );
    await assert.rejects(t.run(), (e: JobFailure) => e.code === "cannot_run");
  },
});

Deno.test({
  name: "with pulls allowed a missing image is pulled when a job needs it; a failed pull says why",
  ...needsEngine,
  async fn() {
    // Nothing listens there: the pull fails at once, as it would without a registry.
    await using t = await setup(
      { command: ["model", "argv"], image: "127.0.0.1:9/md/absent:1" },
      { pull: true },
    );
    assert.ok(t.backend.canRun("image.generate", "low"), "advertised: it can be pulled");
    await assert.rejects(
      t.run(),
      (e: JobFailure) =>
        e.code === "unavailable" && e.retriable &&
        /^could not pull 127\.0\.0\.1:9\/md\/absent:1: .*(connection refused|connect)/i.test(
          e.message,
        ),
    );
    assert.equal(t.reports.at(-1)?.message, "pulling 127.0.0.1:9/md/absent:1");
  },
});

Deno.test({
  name: "a GPU request the engine cannot serve fails with the fix, and leaves no container",
  ...needsEngine,
  async fn() {
    const image = await testImage();
    const agentId = `test-${crypto.randomUUID()}`;
    await assert.rejects(
      runContainer(engine, {
        name: `md-gpu-${agentId.slice(5, 13)}`,
        spec: {
          Image: image,
          Entrypoint: ["model"],
          Cmd: ["argv"],
          Labels: { "io.movie-director.agent": agentId },
          HostConfig: {
            DeviceRequests: [{ Driver: "nvidia", DeviceIDs: ["0"], Capabilities: [["gpu"]] }],
          },
        } as never,
        timeoutSeconds: 10,
        graceSeconds: 1,
        signal: new AbortController().signal,
        onLine: () => {},
      }),
      (e: JobFailure) =>
        e.code === "runtime" && /could not give the container a GPU/.test(e.message) &&
        /nvidia-ctk runtime configure --runtime=docker/.test(e.message),
    );
    assert.deepEqual(await containersOf(agentId), []);
    // And a GPU model is not advertised where the engine has no NVIDIA runtime.
    const info = await engine.info();
    if (!Object.hasOwn(info.Runtimes ?? {}, "nvidia")) {
      await using t = await setup({ command: ["model", "argv"], gpu: true, vramMiB: 1024 });
      assert.equal(t.backend.canRun("image.generate", "low"), false);
      assert.match(t.backend.describe()[1]!, /NVIDIA container runtime: not found/);
    }
  },
});

Deno.test({
  name: "start-up removes the containers this agent's crashed run left, and only those",
  ...needsEngine,
  async fn() {
    const image = await testImage();
    const agentId = `test-${crypto.randomUUID()}`;
    const other = `test-${crypto.randomUUID()}`;
    const make = (agent: string) =>
      engine.create(`md-left-${crypto.randomUUID().slice(0, 8)}`, {
        Image: image,
        Entrypoint: ["sleep"],
        Cmd: ["60"],
        Labels: { "io.movie-director.agent": agent, "io.movie-director.job": "job-1" },
        HostConfig: { Init: true },
      });
    const mine = await make(agentId);
    await engine.start(mine);
    const theirs = await make(other);
    try {
      const logger = new MemoryLogger();
      const backend = new DockerBackend({ engine, models: [], agentId });
      await backend.start(logger);
      assert.equal(await engine.inspect(mine), null);
      assert.notEqual(await engine.inspect(theirs), null, "another agent's container stays");
      assert.match(
        logger.lines.map((l) => l.message).join("\n"),
        /docker: removed container md-left-\w+ \(running\) that an earlier run of this agent left for job job-1/,
      );
    } finally {
      await engine.remove(theirs);
      await engine.remove(mine);
    }
  },
});

Deno.test("an engine that does not answer makes the backend unhealthy, with the fix", async () => {
  const backend = new DockerBackend({
    engine: new DockerEngine("/nonexistent/docker.sock"),
    models: [],
    agentId: "a",
  });
  const status = await backend.probe();
  assert.equal(status.healthy, false);
  assert.match(
    status.problem!,
    /^the Docker Engine at \/nonexistent\/docker\.sock is not answering \(.*\): start Docker/,
  );
  const tcp = new DockerBackend({
    engine: DockerEngine.fromHost("tcp://10.0.0.1:2375"),
    models: [],
    agentId: "a",
  });
  assert.match(
    (await tcp.probe()).problem!,
    /DOCKER_HOST is tcp:\/\/10\.0\.0\.1:2375: the agent talks to the engine on its local unix socket only/,
  );
});
