/**
 * A Gradio app driven through @gradio/client against the fake Gradio 5 server
 * (test/fakes/gradio): success with progress, the app's error, cancel, a full queue, the server
 * killed mid-job, and outputs only from the app's own origin.
 */
import assert from "node:assert/strict";
import { fileApp } from "../../../test/fakes/gradio/apps.ts";
import { startFakeGradio } from "../../../test/fakes/gradio/mod.ts";
import { spawnFakeGradio } from "../../../test/fakes/gradio/serve.ts";
import { JobFailure, type ProgressReport } from "../backend.ts";
import { findFileData, GradioApp } from "./app.ts";

const FAST = { watchdogMs: 200, connectTimeoutMs: 2_000, queueFullDelaysMs: [100, 100] };

function progress() {
  const reports: ProgressReport[] = [];
  return { reports, onProgress: (r: ProgressReport) => reports.push(r) };
}

Deno.test("a run reports the app's steps and returns its file, downloaded", async () => {
  await using gradio = await startFakeGradio(fileApp({ steps: 4, stepMs: 120 }));
  const app = new GradioApp(gradio.url, FAST);
  const work = await Deno.makeTempDir();
  const { reports, onProgress } = progress();
  const signal = new AbortController().signal;
  const data = await app.run("generate", ["a red door"], { signal, onProgress });
  const out = await app.download(data[0], work, "take", signal);
  app.forget();
  assert.equal(out.ext, "txt");
  assert.equal(await Deno.readTextFile(out.path), '["a red door"]');
  assert.equal(reports[0]!.message, "next in the app's queue");
  assert.ok(reports.some((r) => r.message === "the app started"));
  const steps = reports.filter((r) => r.step).map((r) => r.step!.current);
  // Gradio sends the latest progress every 0.1 s: steps can be skipped, never reordered.
  assert.ok(steps.length >= 2, `steps ${steps}`);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  await Deno.remove(work, { recursive: true });
});

Deno.test("the app's own error fails the job with its message, not retried", async () => {
  await using gradio = await startFakeGradio(fileApp({ inputs: [{ type: "number", label: "N" }] }));
  const app = new GradioApp(gradio.url, FAST);
  await assert.rejects(
    app.run("generate", ["twelve"], { signal: new AbortController().signal, onProgress: () => {} }),
    (e: JobFailure) =>
      e.code === "runtime" && !e.retriable &&
      e.message === "the app failed: could not convert string to float: 'twelve'",
  );
  app.forget();
});

Deno.test("cancel stops the app's function and ends the run as canceled", async () => {
  await using gradio = await startFakeGradio(fileApp({ steps: 100, stepMs: 50 }));
  const app = new GradioApp(gradio.url, FAST);
  const abort = new AbortController();
  const { reports, onProgress } = progress();
  const run = app.run("generate", ["x"], { signal: abort.signal, onProgress });
  while (!reports.some((r) => r.step)) await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  await assert.rejects(run, (e: JobFailure) => e.code === "canceled");
  assert.ok(gradio.requests.some((r) => r.path === "/gradio_api/cancel"), "the app was told");
  app.forget();
});

Deno.test("a full queue is joined again after a wait, then fails retriably", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const spec = fileApp({ maxSize: 1 });
  const inner = spec.endpoints[0]!.fn;
  spec.endpoints[0]!.fn = async (inputs, context) => {
    if (inputs[0] === "hold") await gate;
    return await inner(inputs, context);
  };
  await using gradio = await startFakeGradio(spec);
  const other = new GradioApp(gradio.url, FAST);
  const signal = new AbortController().signal;
  const held = other.run("generate", ["hold"], { signal, onProgress: () => {} });
  await new Promise((r) => setTimeout(r, 150));
  const waiting = other.run("generate", ["hold"], { signal, onProgress: () => {} });
  await new Promise((r) => setTimeout(r, 100));
  const app = new GradioApp(gradio.url, FAST);
  const { reports, onProgress } = progress();
  await assert.rejects(
    app.run("generate", ["x"], { signal, onProgress }),
    (e: JobFailure) => e.code === "unavailable" && e.retriable && /stayed busy/.test(e.message),
  );
  assert.equal(
    reports.filter((r) => r.message.startsWith("the app's queue is full; trying again")).length,
    2,
  );
  release();
  await Promise.all([held, waiting]);
  app.forget();
  other.forget();
});

Deno.test("the server killed mid-job is the backend gone: retriable, spending no attempt", async () => {
  const server = await spawnFakeGradio({ app: "file", steps: 200, stepMs: 50 });
  const app = new GradioApp(server.url, FAST);
  const { reports, onProgress } = progress();
  const run = app.run("generate", ["x"], { signal: new AbortController().signal, onProgress });
  const failed = assert.rejects(
    run,
    (e: JobFailure) => e.code === "backend_down" && e.infrastructure,
  );
  while (!reports.some((r) => r.step)) await new Promise((r) => setTimeout(r, 20));
  await server.kill();
  await failed;
  await assert.rejects(
    app.run("generate", ["x"], { signal: new AbortController().signal, onProgress }),
    (e: JobFailure) => e.code === "backend_down" && /not answering/.test(e.message),
  );
});

Deno.test("an app that freezes mid-job is noticed by the watchdog and counted as gone", async () => {
  const server = await spawnFakeGradio({ app: "file", steps: 200, stepMs: 50 });
  const app = new GradioApp(server.url, { ...FAST, connectTimeoutMs: 500 });
  const { reports, onProgress } = progress();
  const run = app.run("generate", ["x"], { signal: new AbortController().signal, onProgress });
  const failed = assert.rejects(
    run,
    (e: JobFailure) => e.code === "backend_down" && /stopped answering/.test(e.message),
  );
  while (!reports.some((r) => r.step)) await new Promise((r) => setTimeout(r, 20));
  server.pause();
  await failed;
  await server.kill();
});

Deno.test("only the app's own files are fetched", async () => {
  const app = new GradioApp("http://127.0.0.1:9");
  await assert.rejects(
    app.download(
      {
        path: "/x.mp4",
        url: "http://169.254.169.254/latest/meta-data",
        meta: { _type: "gradio.FileData" },
      },
      "/tmp",
      "take",
      new AbortController().signal,
    ),
    (e: JobFailure) => e.code === "output" && /another server/.test(e.message),
  );
  assert.deepEqual(
    findFileData({
      video: { path: "/a.mp4", url: "http://h/a.mp4", meta: { _type: "gradio.FileData" } },
    }),
    { path: "/a.mp4", url: "http://h/a.mp4", meta: { _type: "gradio.FileData" } },
  );
  assert.equal(findFileData("text"), null);
});
