/**
 * Wan2GP's headless mode against the fake wgp.py (test/fakes/wan2gp), which prints the console
 * format wgp.py's `process_tasks_cli` prints and exits with its codes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { installFakeWan2gp } from "../../../test/fakes/wan2gp/install.ts";
import { JobFailure, type ProgressReport } from "../backend.ts";
import { runWgpProcess } from "./process_mode.ts";

const PYTHON = "python3";

async function run(
  dir: string,
  settings: Record<string, unknown>,
  options: { signal?: AbortSignal; graceMs?: number } = {},
) {
  const work = await Deno.makeTempDir({ prefix: "md-wgp-" });
  const settingsPath = join(work, "settings.json");
  await Deno.writeTextFile(settingsPath, JSON.stringify(settings));
  const reports: ProgressReport[] = [];
  const path = runWgpProcess({
    python: PYTHON,
    dir,
    settingsPath,
    outputDir: join(work, "out"),
    profile: 4,
    attention: "sdpa",
    signal: options.signal ?? new AbortController().signal,
    onProgress: (r) => reports.push(r),
    ...(options.graceMs ? { graceMs: options.graceMs } : {}),
  });
  return { path, reports, work };
}

const SHOT = {
  model_type: "t2v_1.3B",
  prompt: "a lighthouse at dusk",
  resolution: "832x480",
  video_length: 17,
  num_inference_steps: 6,
  seed: 7,
  force_fps: "16",
};

Deno.test("a run reports each step and returns the video it saved; argv holds no job value", async () => {
  await using wan2gp = await installFakeWan2gp();
  const { path, reports, work } = await run(wan2gp.dir, {
    ...SHOT,
    prompt: "a lighthouse; $(touch /tmp/pwned) `id` --profile 1",
  });
  const video = await path;
  assert.match(video, /^.*\/out\/.*_seed7_.*\.mp4$/);
  assert.ok((await Deno.stat(video)).size > 0);
  const steps = reports.filter((r) => r.step).map((r) => r.step!.current);
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6]);
  assert.ok(reports.every((r) => r.percent < 100));
  const [call] = await wan2gp.calls();
  const argv = call!.argv as string[];
  assert.deepEqual(argv.slice(1), [
    "--process",
    join(work, "settings.json"),
    "--output-dir",
    join(work, "out"),
    "--profile",
    "4",
    "--attention",
    "sdpa",
  ]);
  assert.equal(call!.cwd, wan2gp.dir, "runs in Wan2GP's folder, where ckpts/ is");
  assert.equal(
    (call!.settings as { prompt: string }).prompt,
    "a lighthouse; $(touch /tmp/pwned) `id` --profile 1",
  );
  await Deno.remove(work, { recursive: true });
});

Deno.test("a [SKIP] (exit 0, no video) fails the job as bad settings, with Wan2GP's reason", async () => {
  await using wan2gp = await installFakeWan2gp();
  const { path, work } = await run(wan2gp.dir, { ...SHOT, resolution: "1000x480" });
  await assert.rejects(path, (e: JobFailure) =>
    e.code === "validation" && !e.retriable &&
    e.message ===
      "Wan2GP refused the settings: Resolution 1000x480 is not supported: use multiples of 16");
  await Deno.remove(work, { recursive: true });
});

Deno.test("an [ERROR] fails the job with that line; out of memory may be retried", async () => {
  await using wan2gp = await installFakeWan2gp();
  const { path, work } = await run(wan2gp.dir, { ...SHOT, prompt: "storm [fake:fail]" });
  await assert.rejects(path, (e: JobFailure) =>
    e.code === "runtime" && e.retriable &&
    /^Wan2GP failed \(exit 1\): CUDA out of memory/.test(e.message));
  await Deno.remove(work, { recursive: true });
});

Deno.test("cancel sends Ctrl-C: Wan2GP stops at once and the job ends canceled", async () => {
  await using wan2gp = await installFakeWan2gp();
  const abort = new AbortController();
  const { path, reports, work } = await run(wan2gp.dir, {
    ...SHOT,
    prompt: "slow pan [fake:slow]",
    num_inference_steps: 40,
  }, { signal: abort.signal });
  while (!reports.some((r) => r.step)) await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  abort.abort();
  await assert.rejects(path, (e: JobFailure) => e.code === "canceled");
  assert.ok(performance.now() - started < 3_000, "stopped well before its 12 s of steps");
  await Deno.remove(work, { recursive: true });
});

Deno.test("a Wan2GP that ignores Ctrl-C is killed after the grace period", async () => {
  await using wan2gp = await installFakeWan2gp();
  // A wgp.py that swallows SIGINT, as one stuck in a CUDA call would.
  await Deno.writeTextFile(
    join(wan2gp.dir, "wgp.py"),
    "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" +
      "print('[Task 1/1] x...', flush=True)\ntime.sleep(60)\n",
  );
  const abort = new AbortController();
  const { path, reports, work } = await run(wan2gp.dir, SHOT, {
    signal: abort.signal,
    graceMs: 300,
  });
  while (reports.length === 0) await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  await assert.rejects(path, (e: JobFailure) => e.code === "canceled");
  await Deno.remove(work, { recursive: true });
});

Deno.test("a missing python is the backend gone, not the job's fault", async () => {
  await using wan2gp = await installFakeWan2gp();
  const work = await Deno.makeTempDir();
  await assert.rejects(
    runWgpProcess({
      python: "/nonexistent/python",
      dir: wan2gp.dir,
      settingsPath: join(work, "s.json"),
      outputDir: work,
      profile: 4,
      attention: "sdpa",
      signal: new AbortController().signal,
      onProgress: () => {},
    }),
    (e: JobFailure) => e.code === "backend_down" && /--wan2gp-python/.test(e.message),
  );
  await Deno.remove(work, { recursive: true });
});
