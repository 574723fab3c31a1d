/**
 * Docker backend benchmark: `deno run -A bench/docker/main.ts [--jobs N] [--lines N] [--no-write]`.
 * Needs a Docker Engine (DOCKER_HOST or /var/run/docker.sock) and Debian's busybox-static: the
 * test model's image is built on the engine as the tests build it (test/docker/engine.ts).
 *
 * - overhead: N jobs back to back of a model whose container exits at once (it writes one small
 *   file), each timed from `DockerBackend.run` called to its output uploaded: input folder,
 *   image check, create, attach, start, wait, collecting the output, and the upload (a
 *   streaming PUT with its sha256 to a local server). The container's removal runs meanwhile
 *   (a job does not wait for it, run_container.ts `onRemoval`), so it competes with the next
 *   job's calls; all removals are awaited before the figures are taken. The container's own
 *   life is a busybox shell writing a file, so nearly all of it is the engine's and the agent's
 *   work. The engine calls are timed apart, to show where the time goes.
 * - logs: one container printing `--lines` lines (100,000) as fast as it can; lines per second
 *   from the run's start to its end (all lines counted by the agent), and the agent's peak RSS
 *   sampled every 10 ms, against its RSS before.
 *
 * Writes bench/results/docker.json (not with `--no-write`).
 */
import { DockerBackend } from "../../gpu-agent/backends/docker/backend.ts";
import { DockerEngine } from "../../gpu-agent/backends/docker/engine.ts";
import { parseModelConfig } from "../../protocol/docker_models/model_config.ts";
import { uploadFile } from "../../gpu-agent/upload/mod.ts";
import { engine as testEngine, testImage, unavailable } from "../../test/docker/engine.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";

const arg = (name: string) => Number(Deno.args[Deno.args.indexOf(name) + 1]) || undefined;
const JOBS = arg("--jobs") ?? 40;
const LINES = arg("--lines") ?? 100_000;
const WRITE = !Deno.args.includes("--no-write");
const WARMUP = 3;

if (unavailable) throw new Error(unavailable);

/** The engine, timing each call by name. */
class TimedEngine extends DockerEngine {
  readonly times = new Map<string, number[]>();
  #time<T>(name: string, call: Promise<T>): Promise<T> {
    const start = performance.now();
    return call.finally(() => {
      const list = this.times.get(name) ?? [];
      list.push(performance.now() - start);
      this.times.set(name, list);
    });
  }
  override create(name: string, spec: unknown, signal?: AbortSignal) {
    return this.#time("create", super.create(name, spec, signal));
  }
  override attach(id: string, signal?: AbortSignal) {
    return this.#time("attach", super.attach(id, signal));
  }
  override start(id: string, signal?: AbortSignal) {
    return this.#time("start", super.start(id, signal));
  }
  override wait(id: string, signal?: AbortSignal) {
    return this.#time("start → exit (wait)", super.wait(id, signal));
  }
  override remove(id: string, signal?: AbortSignal) {
    return this.#time("remove", super.remove(id, signal));
  }
}

const image = await testImage();
const engine = new TimedEngine(testEngine.socket);
const model = (id: string, command: string[]) =>
  parseModelConfig(`${id}.json`, {
    id,
    title: id,
    implements: [{ nodeType: "image.generate", tiers: ["low"] }],
    image,
    command,
    outputs: [{ glob: "*.png", kind: "image" }],
    gpu: false,
    vramMiB: 0,
    memoryMiB: 512,
  });
async function backendOf(command: string[]) {
  const backend = new DockerBackend({
    engine,
    models: [model("bench", command)],
    agentId: `bench-${crypto.randomUUID()}`,
  });
  await backend.probe();
  return backend;
}

// Where uploads go: a local server reading each PUT to the end, as the object store would.
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  await request.body?.pipeTo(new WritableStream());
  return new Response(null, { status: 200 });
});
const uploadUrl = `http://127.0.0.1:${server.addr.port}/take`;
const root = await Deno.makeTempDir({ prefix: "md-bench-docker-" });

/** One job through the backend, its outputs uploaded. */
async function job(backend: DockerBackend, onProgress: (message: string) => void = () => {}) {
  const workDir = await Deno.makeTempDir({ dir: root });
  const signal = new AbortController().signal;
  const result = await backend.run({
    jobId: crypto.randomUUID(),
    nodeType: "image.generate",
    tier: "low",
    params: { prompt: "a red door" },
    inputs: [],
    workDir,
  }, { signal, onProgress: (r) => onProgress(r.message) });
  for (const output of result.outputs) {
    await uploadFile(output.path, uploadUrl, { contentType: output.contentType, signal });
  }
  await Deno.remove(workDir, { recursive: true });
}

// Overhead: the backend's own job end to end around a container that exits at once.
const quick = await backendOf(["model", "argv", "{prompt}"]);
const overhead: number[] = [];
for (let i = 0; i < JOBS + WARMUP; i++) {
  const start = performance.now();
  await job(quick);
  if (i >= WARMUP) overhead.push(performance.now() - start);
}
await quick.settled();
const engineTimes = Object.fromEntries(
  [...engine.times].map(([name, list]) => [name, summarize(list.slice(WARMUP))]),
);
// The agent's own part of each job: everything but the engine calls it waits for (the removal
// runs beside the job, not in it).
const own = overhead.map((total, i) =>
  total -
  [...engine.times].filter(([name]) => name !== "remove")
    .reduce((sum, [, list]) => sum + list[i + WARMUP]!, 0)
);

// Logs: 100,000 lines through attach, the demultiplexer, the line splitter and the progress.
const spam = await backendOf(["model", "spam", String(LINES)]);
const rssBefore = Deno.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 10);
let lines = 0;
const logStart = performance.now();
// The model prints 1 … N: the last line the agent reports must be N, in order.
await job(spam, (message) => {
  const n = Number(message);
  if (Number.isInteger(n)) lines = Math.max(lines, n);
});
const logMs = performance.now() - logStart;
clearInterval(sampler);
if (lines !== LINES) throw new Error(`the agent saw line ${lines} last, not ${LINES}`);

await spam.settled();
await server.shutdown();
await Deno.remove(root, { recursive: true });
engine.close();

const o = summarize(overhead);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
console.log(`overhead per job (ms, ${o.count} jobs): p50 ${o.p50}, p95 ${o.p95}, max ${o.max}`);
for (const [name, s] of Object.entries(engineTimes)) {
  console.log(`  engine ${name}: p50 ${s.p50}, p95 ${s.p95}`);
}
const ownSummary = summarize(own);
console.log(`  the agent's own (the rest): p50 ${ownSummary.p50}, p95 ${ownSummary.p95}`);
const perSecond = Math.round(LINES / (logMs / 1000));
console.log(
  `logs: ${LINES} lines in ${Math.round(logMs)} ms (${perSecond} lines/s); ` +
    `RSS ${mb(rssBefore)} MB before, peak ${mb(peak)} MB`,
);
const figures = {
  "docker.overhead_p50_ms": o.p50,
  "docker.overhead_p95_ms": o.p95,
  "docker.agent_own_p50_ms": ownSummary.p50,
  "docker.agent_own_p95_ms": ownSummary.p95,
  "docker.log_lines_per_s": perSecond,
  "docker.log_peak_rss_mb": mb(peak),
  "docker.log_baseline_rss_mb": mb(rssBefore),
};
if (WRITE) console.log(`wrote ${await writeResults("docker", figures)}`);
