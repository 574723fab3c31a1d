import assert from "node:assert/strict";
import type { Backend } from "../../protocol/nodes.ts";
import type { BackendStatus, JobBackend } from "./backend.ts";
import { BackendMonitor } from "./monitor.ts";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import { MemoryLogger } from "../log/memory_logger.ts";

/** A backend whose health the test switches; counts its probes. */
class SwitchableBackend implements JobBackend {
  healthy = true;
  probes = 0;
  throws = false;
  constructor(readonly kind: Backend) {}
  probe(): Promise<BackendStatus> {
    this.probes++;
    if (this.throws) return Promise.reject(new Error("socket closed"));
    return Promise.resolve({
      kind: this.kind,
      version: "1.0",
      healthy: this.healthy,
      templates: this.healthy ? ["t2v"] : [],
      models: [],
      ...(this.healthy ? {} : { problem: `start ${this.kind}` }),
    });
  }
  canRun(): boolean {
    return this.healthy;
  }
  run(): Promise<never> {
    return Promise.reject(new Error("not used"));
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const comfy = new SwitchableBackend("comfyui");
  const ffmpeg = new SwitchableBackend("ffmpeg");
  const changes: BackendStatus[][] = [];
  const monitor = new BackendMonitor([comfy, ffmpeg], {
    clock,
    logger,
    intervalMs: 30_000,
    onChange: (s) => changes.push(s),
  });
  return { clock, logger, comfy, ffmpeg, monitor, changes };
}

Deno.test("the monitor probes at start and then every interval", async () => {
  const { clock, comfy, monitor } = setup();
  monitor.start();
  await flush();
  assert.equal(comfy.probes, 1);
  for (let i = 0; i < 3; i++) {
    await clock.advance(30_000);
    await flush();
  }
  assert.equal(comfy.probes, 4);
  await monitor.stop();
  await clock.advance(120_000);
  await flush();
  assert.equal(comfy.probes, 4, "no probes after stop()");
  assert.equal(clock.pending, 0);
});

Deno.test("going away and coming back are each logged once, and the status list follows", async () => {
  const { clock, logger, comfy, monitor, changes } = setup();
  monitor.start();
  await flush();
  assert.deepEqual(logger.lines.map((l) => l.message), ["comfyui 1.0 found", "ffmpeg 1.0 found"]);
  comfy.healthy = false;
  for (let i = 0; i < 4; i++) {
    await clock.advance(30_000);
    await flush();
  }
  assert.deepEqual(logger.matching("comfyui went away"), ["comfyui went away: start comfyui"]);
  assert.equal(monitor.status("comfyui")!.healthy, false);
  assert.deepEqual(monitor.healthyBackends().map((b) => b.kind), ["ffmpeg"]);
  comfy.healthy = true;
  for (let i = 0; i < 4; i++) {
    await clock.advance(30_000);
    await flush();
  }
  assert.deepEqual(logger.matching("comfyui 1.0 is back"), ["comfyui 1.0 is back"]);
  assert.equal(logger.lines.length, 4);
  assert.equal(changes.length, 3);
  assert.deepEqual(monitor.statuses().map((s) => [s.kind, s.healthy]), [["comfyui", true], [
    "ffmpeg",
    true,
  ]]);
  await monitor.stop();
});

Deno.test("a backend missing at start is reported once as not available", async () => {
  const { logger, comfy, monitor } = setup();
  comfy.healthy = false;
  await monitor.checkNow();
  await monitor.checkNow();
  assert.deepEqual(logger.matching("comfyui"), ["comfyui not available: start comfyui"]);
});

Deno.test("a probe that throws counts as unhealthy instead of stopping the monitor", async () => {
  const { logger, comfy, monitor } = setup();
  comfy.throws = true;
  const statuses = await monitor.checkNow();
  assert.equal(statuses[0]!.healthy, false);
  assert.match(statuses[0]!.problem!, /health check failed: socket closed/);
  assert.equal(logger.matching("comfyui not available").length, 1);
});

Deno.test("statuses() is empty before the first check", () => {
  const { monitor } = setup();
  assert.deepEqual(monitor.statuses(), []);
});

Deno.test("markDown takes a backend off at once and re-probes it with backoff, at most 30 s apart", async () => {
  const { clock, logger, comfy, monitor, changes } = setup();
  await monitor.checkNow();
  comfy.healthy = false;
  monitor.markDown("comfyui", "ComfyUI stopped answering during the run");
  assert.equal(monitor.status("comfyui")!.healthy, false, "down before any probe");
  assert.equal(changes.length, 2, "the change is reported at once (a heartbeat follows)");
  assert.deepEqual(logger.matching("comfyui went away"), [
    "comfyui went away: ComfyUI stopped answering during the run",
  ]);
  const probesAt: number[] = [];
  const start = clock.now();
  const before = comfy.probes;
  for (let ms = 0; ms <= 120_000; ms += 500) {
    await clock.advance(500);
    await flush();
    if (comfy.probes > before + probesAt.length) probesAt.push(clock.now());
  }
  const gaps = probesAt.map((at, i) => at - (probesAt[i - 1] ?? start));
  assert.deepEqual(gaps.slice(0, 6), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
  assert.ok(gaps.every((gap) => gap <= 30_000), String(gaps));
  monitor.markDown("comfyui", "again");
  assert.equal(logger.matching("went away").length, 1, "already down: not logged twice");
  comfy.healthy = true;
  await clock.advance(30_000);
  await flush();
  assert.deepEqual(logger.matching("is back"), ["comfyui 1.0 is back"]);
  const after = comfy.probes;
  await clock.advance(120_000);
  await flush();
  assert.equal(comfy.probes, after, "back: the re-probes stop (no regular schedule here)");
  await monitor.stop();
});
