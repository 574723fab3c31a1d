/**
 * GPU agent benchmark: `deno run -A bench/agent/main.ts [--jobs N]`.
 *
 * 1. Overhead per job: the agent against a real edge (HTTP, temp database) and the fake
 *    ComfyUI, jobs queued back to back. Per job, the agent's own time is
 *    (claim answered → ComfyUI executing the prompt) + (ComfyUI's last node done → job
 *    completed at the edge), minus the upload. The idle gap is the GPU's wait between two
 *    jobs: previous job completed → next prompt executing. ComfyUI's side is timed in its
 *    `hold` hook, which runs right after each node's work (no node takes any time here).
 * 2. Upload: one 1 GB output streamed with sha256 to a local PUT server that discards the
 *    bytes; throughput, and the process's peak RSS while it runs (memory must stay flat).
 *
 * Writes bench/results/agent.json.
 */
import { promptIdFor } from "../../gpu-agent/backends/comfyui/mod.ts";
import { uploadFile } from "../../gpu-agent/upload/mod.ts";
import { rig } from "../../test/agent/rig.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";

const JOBS = Number(Deno.args[Deno.args.indexOf("--jobs") + 1]) || 60;
const WARMUP = 5;
const UPLOAD_BYTES = 1024 ** 3;

interface Timeline {
  claimed?: number;
  firstNode?: number;
  lastNode?: number;
  uploadStarted?: number;
  uploadFinished?: number;
  completed?: number;
  backendStarted?: number;
  backendFinished?: number;
}

async function overhead(): Promise<{ overhead: number[]; idleGap: number[] }> {
  await using r = await rig();
  const byPrompt = new Map<string, Timeline>();
  const byJob = new Map<string, Timeline>();
  r.fake.behaviour.stepMs = 0;
  r.fake.behaviour.previews = false;
  r.fake.behaviour.hold = ({ promptId }) => {
    const timeline = byPrompt.get(promptId);
    if (!timeline) return;
    const now = performance.now();
    timeline.firstNode ??= now;
    timeline.lastNode = now;
  };
  const agent = r.startAgent({
    trace: (event) => {
      const now = performance.now();
      let timeline = byJob.get(event.jobId);
      if (!timeline) {
        timeline = {};
        byJob.set(event.jobId, timeline);
        // The backend's prompt id for a job's first prompt is derived from the job id.
        void promptIdFor(event.jobId, 0).then((id) => byPrompt.set(id, timeline!));
      }
      if (event.type === "claimed") timeline.claimed = now;
      if (event.type === "upload_started") timeline.uploadStarted = now;
      if (event.type === "upload_finished") timeline.uploadFinished = now;
      if (event.type === "completed") timeline.completed = now;
      if (event.type === "backend_started") timeline.backendStarted = now;
      if (event.type === "backend_finished") timeline.backendFinished = now;
    },
  });
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
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
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
  const last = ids.at(-1)!;
  for (let i = 0; i < 6000 && (await r.job(last)).job.state !== "succeeded"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  agent.signal();
  await agent.exit;

  const timelines = ids.map((id) => byJob.get(id)).filter((t): t is Required<Timeline> =>
    !!t && [t.claimed, t.firstNode, t.lastNode, t.uploadStarted, t.uploadFinished, t.completed]
      .every((v) => v !== undefined)
  );
  if (timelines.length !== JOBS) throw new Error(`only ${timelines.length} of ${JOBS} jobs traced`);
  if (Deno.env.get("BENCH_DETAIL")) {
    const parts = {
      claimToBackend: timelines.map((t) => t.backendStarted - t.claimed),
      backendToFirstNode: timelines.map((t) => t.firstNode - t.backendStarted),
      lastNodeToBackendDone: timelines.map((t) => t.backendFinished - t.lastNode),
      backendDoneToUpload: timelines.map((t) => t.uploadStarted - t.backendFinished),
      upload: timelines.map((t) => t.uploadFinished - t.uploadStarted),
      uploadToCompleted: timelines.map((t) => t.completed - t.uploadFinished),
    };
    for (const [name, samples] of Object.entries(parts)) {
      console.log(name, summarize(samples.slice(WARMUP)));
    }
  }
  // Claim order is queue order (same priority, oldest first), so consecutive ids run back to back.
  const overheadMs = timelines.map((t) =>
    (t.firstNode - t.claimed) + (t.completed - t.lastNode) - (t.uploadFinished - t.uploadStarted)
  );
  const idleGapMs = timelines.slice(1).map((t, i) => t.firstNode - timelines[i]!.completed);
  return { overhead: overheadMs.slice(WARMUP), idleGap: idleGapMs.slice(WARMUP) };
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
  const jobs = await overhead();
  const overheadSummary = summarize(jobs.overhead);
  const gapSummary = summarize(jobs.idleGap);
  console.log(`agent overhead per job (ms, ${overheadSummary.count} jobs):`, overheadSummary);
  console.log(`GPU idle gap between jobs (ms):`, gapSummary);
  const up = await upload();
  console.log(
    `upload 1 GB: ${up.mbPerS} MB/s, peak RSS ${up.peakRssMb} MB (before: ${up.baselineRssMb} MB)`,
  );
  const path = await writeResults("agent", {
    "agent.overhead_p50_ms": overheadSummary.p50,
    "agent.overhead_p95_ms": overheadSummary.p95,
    "agent.idle_gap_p50_ms": gapSummary.p50,
    "agent.idle_gap_p95_ms": gapSummary.p95,
    "agent.upload_mb_per_s": up.mbPerS,
    "agent.upload_peak_rss_mb": up.peakRssMb,
    "agent.upload_baseline_rss_mb": up.baselineRssMb,
  });
  console.log(`wrote ${path}`);
}
