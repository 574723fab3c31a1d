/**
 * GPU agent benchmark: `deno run -A bench/agent/main.ts [--jobs N] [--no-write]`.
 *
 * 1. Overhead per job: the agent alone in its own process, as a user runs it (agent_process.ts),
 *    against a real edge (HTTP, temp database) in this process and the fake ComfyUI on a thread
 *    of its own (fake_worker.ts); `--jobs` jobs (default 60) queued before the first one runs,
 *    then run back to back, with the agent's and the edge's production timings. Per job, the agent's own time is (claim answered → ComfyUI accepted
 *    the prompt) + (ComfyUI's last node done → job completed at the edge), minus the upload
 *    (take slot and PUT). The idle gap is the GPU's wait between two jobs: previous job
 *    completed → next prompt accepted. ComfyUI's own time (queue to first node, each node's
 *    work) is never counted: the fake's `queued` and `hold` hooks time it, and no node takes
 *    any time here. Times cross threads and processes as wall-clock milliseconds (epoch.ts).
 * 2. Upload: one 1 GB output streamed with sha256 to a local PUT server that discards the
 *    bytes; throughput, and the process's peak RSS while it runs (memory must stay flat).
 *
 * Writes bench/results/agent.json (not with `--no-write`). Run it under the shared CPU lock.
 */
import { promptIdFor } from "../../gpu-agent/backends/comfyui/mod.ts";
import { AGENT_API_PREFIX } from "../../protocol/jobs.ts";
import { uploadFile } from "../../gpu-agent/upload/mod.ts";
import { rig } from "../../test/agent/rig.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import type { FakeTimes } from "./fake_worker.ts";
import { runAgentProcess } from "./run_agent_process.ts";

const JOBS = Number(Deno.args[Deno.args.indexOf("--jobs") + 1]) || 60;
const WRITE = !Deno.args.includes("--no-write");
const WARMUP = 5;
const UPLOAD_BYTES = 1024 ** 3;

/** A job's moments, in order. */
const MOMENTS = [
  "claimed",
  "backend_started",
  "queued",
  "firstNode",
  "lastNode",
  "backend_finished",
  "upload_started",
  "upload_finished",
  "completed",
] as const;

/** One job's moments, in wall-clock milliseconds. */
type Timeline = Record<(typeof MOMENTS)[number], number>;

/** The fake ComfyUI on its own thread (fake_worker.ts). */
async function startFakeWorker(): Promise<
  { url: string; go(): void; stop(): Promise<FakeTimes> }
> {
  const worker = new Worker(new URL("./fake_worker.ts", import.meta.url), { type: "module" });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`fake ComfyUI worker: ${event.message}`));
      };
    });
  const { url } = await next<{ url: string }>();
  return {
    url,
    go: () => worker.postMessage("go"),
    async stop() {
      const times = next<FakeTimes>();
      worker.postMessage("stop");
      return await times;
    },
  };
}

/** The edge's own time per agent API route (`POST /claim`, `/jobs/:id/complete`, ...). */
const edgeMs = new Map<string, number[]>();

async function overhead(): Promise<{ series: Record<string, number[]>; cpuPerJobMs: number }> {
  // The edge's and the agent's production timings (leases, heartbeats, events per second).
  const settings = { LEASE_MS: "60000", HEARTBEAT_INTERVAL_MS: "15000", CLAIM_RECHECK_MS: "1000" };
  await using r = await rig(settings, (request, _response, ms) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith(AGENT_API_PREFIX)) return;
    const route = path.slice(AGENT_API_PREFIX.length).replace(/\/jobs\/[^/]+/, "/jobs/:id");
    const key = `${request.method} ${route}`;
    const series = edgeMs.get(key);
    if (series) series.push(ms);
    else edgeMs.set(key, [ms]);
  });
  const fake = await startFakeWorker();
  const nodes = Object.fromEntries(
    Array.from({ length: JOBS }, (_, i) => [`n${i}`, {
      id: `n${i}`,
      type: "image.generate",
      title: `n${i}`,
      x: 0,
      y: 0,
      params: {},
    }]),
  );
  await r.saveGraph({ nodes, edges: {} });
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => ready = resolve);
  const stopAgent = new AbortController();
  using _ = { [Symbol.dispose]: () => stopAgent.abort() };
  const agent = runAgentProcess(
    { configDir: r.configDir, workDir: r.workDir, comfyuiUrl: fake.url, jobs: JOBS, fast: false },
    ready,
    stopAgent.signal,
  );
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  const connectDeadline = new Promise<never>((_, reject) => {
    connectTimer = setTimeout(() => reject(new Error("the agent did not connect in 60 s")), 60_000);
  });
  try {
    await Promise.race([connected, agent, connectDeadline]);
  } finally {
    clearTimeout(connectTimer);
  }
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    ids.push(
      await r.generate({
        id: `n${i}`,
        type: "image.generate",
        params: { prompt: `shot ${i}`, seed: i },
      }),
    );
  }
  // The first job was held at its first node until now: queueing the jobs costs the edge CPU,
  // which must not overlap the jobs measured, and the queue must never run dry.
  fake.go();
  const { trace, cpuMs, warnings } = await agent;
  const times = await fake.stop();
  const queuedAt = new Map(times.queued);
  const nodesAt = new Map(times.nodes);

  const byJob = new Map<string, Partial<Timeline>>();
  for (const [type, jobId, at] of trace) {
    const timeline = byJob.get(jobId) ?? {};
    byJob.set(jobId, timeline);
    (timeline as Record<string, number>)[type] = at;
  }
  const timelines: Timeline[] = [];
  const untraced: string[] = [];
  for (const id of ids) {
    const timeline = byJob.get(id);
    // The backend's prompt id for a job's first prompt is derived from the job id.
    const promptId = promptIdFor(id, 0);
    const node = nodesAt.get(promptId);
    const full: Partial<Timeline> = {
      ...timeline,
      queued: queuedAt.get(promptId),
      firstNode: node?.first,
      lastNode: node?.last,
    };
    const missing = MOMENTS.filter((m) => full[m] === undefined);
    if (missing.length === 0) timelines.push(full as Timeline);
    else untraced.push(`${id} (prompt ${promptId}): no ${missing.join(", ")}`);
  }
  if (untraced.length > 0) {
    throw new Error(
      `only ${timelines.length} of ${JOBS} jobs traced:\n${untraced.join("\n")}\n` +
        `the agent's warnings:\n${warnings.join("\n")}`,
    );
  }
  // Claim order is queue order (same priority, oldest first), so consecutive ids run back to back.
  const pairs = timelines.slice(1).map((t, i) => [timelines[i]!, t] as const);
  const upload = (t: Timeline) => t.upload_finished - t.upload_started;
  const series: Record<string, number[]> = {
    overhead: timelines.map((t) => (t.queued - t.claimed) + (t.completed - t.lastNode) - upload(t)),
    idleGap: pairs.map(([prev, t]) => t.queued - prev.completed),
    "claimed → backend started": timelines.map((t) => t.backend_started - t.claimed),
    "backend started → prompt queued": timelines.map((t) => t.queued - t.backend_started),
    "last node → backend finished": timelines.map((t) => t.backend_finished - t.lastNode),
    "backend finished → upload": timelines.map((t) => t.upload_started - t.backend_finished),
    "upload (slot + PUT, excluded)": timelines.map(upload),
    "upload → completed": timelines.map((t) => t.completed - t.upload_finished),
    "completed → next claimed": pairs.map(([prev, t]) => t.claimed - prev.completed),
    "ComfyUI: queued → first node (excluded)": timelines.map((t) => t.firstNode - t.queued),
  };
  return {
    series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v.slice(WARMUP)])),
    cpuPerJobMs: Math.round((cpuMs / JOBS) * 100) / 100,
  };
}

async function upload(): Promise<{ mbPerS: number; peakRssMb: number; baselineRssMb: number }> {
  const dir = await Deno.makeTempDir({ prefix: "md-agent-bench-" });
  const path = `${dir}/take.mp4`;
  const chunk = new Uint8Array(1024 * 1024);
  for (let i = 0; i < chunk.length; i += 65536) {
    crypto.getRandomValues(chunk.subarray(i, i + 65536));
  }
  const file = await Deno.open(path, { write: true, create: true });
  for (let written = 0; written < UPLOAD_BYTES; written += chunk.length) await file.write(chunk);
  file.close();
  let received = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    for await (const part of request.body!) received += part.byteLength;
    return new Response(null, { status: 200 });
  });
  try {
    const baseline = Deno.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 20);
    const started = performance.now();
    const result = await uploadFile(path, `http://127.0.0.1:${server.addr.port}/take.mp4`, {
      contentType: "video/mp4",
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, Deno.memoryUsage().rss);
    if (result.bytes !== UPLOAD_BYTES || received !== UPLOAD_BYTES) {
      throw new Error(`uploaded ${result.bytes}, server got ${received} of ${UPLOAD_BYTES}`);
    }
    return {
      mbPerS: Math.round(UPLOAD_BYTES / 1e6 / seconds),
      peakRssMb: Math.round(peak / 1e6),
      baselineRssMb: Math.round(baseline / 1e6),
    };
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { series: { overhead: overheadMs, idleGap, ...steps }, cpuPerJobMs } = await overhead();
  for (const [name, samples] of Object.entries(steps)) {
    console.log(`  ${name}:`, summarize(samples));
  }
  console.log("edge time per agent API route (ms, server side, whole run):");
  for (const [route, samples] of edgeMs) console.log(`  ${route}:`, summarize(samples));
  const overheadSummary = summarize(overheadMs!);
  const gapSummary = summarize(idleGap!);
  console.log(`agent overhead per job (ms, ${overheadSummary.count} jobs):`, overheadSummary);
  console.log(`GPU idle gap between jobs (ms):`, gapSummary);
  console.log(`agent CPU per job (process CPU time over the run / jobs): ${cpuPerJobMs} ms`);
  const up = await upload();
  console.log(
    `upload 1 GB: ${up.mbPerS} MB/s, peak RSS ${up.peakRssMb} MB (before: ${up.baselineRssMb} MB)`,
  );
  if (WRITE) {
    const path = await writeResults("agent", {
      "agent.overhead_p50_ms": overheadSummary.p50,
      "agent.overhead_p95_ms": overheadSummary.p95,
      "agent.idle_gap_p50_ms": gapSummary.p50,
      "agent.idle_gap_p95_ms": gapSummary.p95,
      "agent.cpu_per_job_ms": cpuPerJobMs,
      "agent.upload_mb_per_s": up.mbPerS,
      "agent.upload_peak_rss_mb": up.peakRssMb,
      "agent.upload_baseline_rss_mb": up.baselineRssMb,
    });
    console.log(`wrote ${path}`);
  }
}
