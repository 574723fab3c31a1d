/**
 * Wan2GP benchmark: `deno run -A bench/backends/main.ts [--jobs N] [--no-write]`.
 *
 * The agent alone in its own process (bench/agent/agent_process.ts), against a real edge (HTTP,
 * temp database) in this process, runs N shots back to back on a fake Wan2GP installation
 * (test/fakes/wan2gp), queued before it starts, in each mode:
 * - gradio: the fake Gradio server running the bridge's interface on a thread of its own
 *   (fake_gradio_worker.ts). The agent's own time per job is (claim answered → the app accepted
 *   the job) + (the app sent `process_completed` → job completed at the edge), minus the upload
 *   (take slot and PUT). The idle gap is the agent's part of the GPU's wait between two jobs:
 *   previous job completed → next job accepted by the app. The app's own time (its 0.05 s queue
 *   and stream polling, the function) is not counted, and is printed apart.
 * - process: the fake wgp.py. The agent's own time is (claim answered → wgp.py spawned) +
 *   (wgp.py exited → job completed), minus the upload: python's start and run are the fake's.
 *
 * A video take is delivered at completion; its poster frame and ffprobe facts follow after the
 * lease, beside the next job (gpu-agent/run/describe_takes.ts), so they are not in the overhead:
 * "completed → poster attached" prints that part apart (an ffprobe and an ffmpeg run, ≈ 180 ms
 * here). Before that change the describing ran inside the job and made most of the overhead.
 *
 * Then the workflow-asset binding of a 300-node workflow (workflow_bind.ts), in this process.
 *
 * Writes bench/results/backends.json (not with `--no-write`). Run it under the shared CPU lock.
 */
import { AGENT_API_PREFIX } from "../../protocol/jobs.ts";
import { rig } from "../../test/agent/rig.ts";
import { installFakeWan2gp } from "../../test/fakes/wan2gp/install.ts";
import { runAgentProcess } from "../lib/agent_process.ts";
import { startFakeWorker } from "../lib/fake_worker.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import type { GradioTimes } from "./fake_gradio_worker.ts";
import { measureWorkflowBinding } from "./workflow_bind.ts";

const JOBS = Number(Deno.args[Deno.args.indexOf("--jobs") + 1]) || 40;
const WRITE = !Deno.args.includes("--no-write");
const WARMUP = 3;
/** Nothing listens there: no ComfyUI (shots go to Wan2GP), and no bridge in process mode. */
const CLOSED = "http://127.0.0.1:9";

type Trace = Map<string, Record<string, number>>;

/** Queues `JOBS` shots, then runs the agent on them; returns its trace by job, in queue order. */
async function runShots(bridgeUrl: string): Promise<{ ids: string[]; trace: Trace }> {
  await using r = await rig({ LEASE_MS: "60000", HEARTBEAT_INTERVAL_MS: "15000" });
  await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
  const nodes = Object.fromEntries(
    Array.from({ length: JOBS }, (_, i) => [`s${i}`, {
      id: `s${i}`,
      type: "shot.generate",
      title: `s${i}`,
      x: 0,
      y: 0,
      params: {},
    }]),
  );
  await r.saveGraph({ nodes, edges: {} });
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    ids.push(
      await r.generate({
        id: `s${i}`,
        type: "shot.generate",
        tier: "low",
        params: { prompt: `shot ${i}`, seed: i, steps: 4, frames: 17 },
      }),
    );
  }
  const stop = new AbortController();
  using _ = { [Symbol.dispose]: () => stop.abort() };
  const { trace, warnings } = await runAgentProcess(
    {
      configDir: r.configDir,
      workDir: r.workDir,
      comfyuiUrl: CLOSED,
      jobs: JOBS,
      fast: false,
      wan2gp: { dir: wan2gp.dir, bridgeUrl },
    },
    () => {},
    stop.signal,
  );
  const byJob: Trace = new Map();
  for (const [type, jobId, at] of trace) {
    const moments = byJob.get(jobId) ?? {};
    byJob.set(jobId, moments);
    moments[type] = at;
  }
  const failed = ids.filter((id) => byJob.get(id)?.["settled succeeded"] === undefined);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${JOBS} jobs did not succeed; warnings:\n${warnings.join("\n")}`,
    );
  }
  return { ids, trace: byJob };
}

/** When the app accepted, ran and answered one job. */
interface AppMoments {
  joined: number;
  fnStarted: number;
  fnFinished: number;
  completedSent: number;
}

const upload = (t: Record<string, number>) => t.upload_finished! - t.upload_started!;

/** The poster frame and facts, after completion and beside the next job (not in the overhead). */
function posterSeries(jobs: Record<string, number>[]): Record<string, number[]> {
  const described = jobs.filter((t) => t.described !== undefined);
  if (described.length !== jobs.length) {
    throw new Error(`${jobs.length - described.length} jobs got no poster`);
  }
  return {
    "completed → poster attached (excluded)": described.map((t) => t.described! - t.completed!),
  };
}

async function gradioMode() {
  const app = await startFakeWorker<GradioTimes>(
    new URL("./fake_gradio_worker.ts", import.meta.url),
    "fake Gradio",
  );
  const result = await runShots(app.url).catch(async (error) => {
    await app.stop();
    throw error;
  });
  const times = await app.stop();
  if (times.joined.length !== JOBS || times.completedSent.length !== JOBS) {
    throw new Error(`the app saw ${times.joined.length} joins for ${JOBS} jobs`);
  }
  // One job at a time, in queue order: the app's i-th event is the i-th job.
  const jobs: (Record<string, number> & AppMoments)[] = result.ids.map((id, i) => ({
    ...result.trace.get(id)!,
    joined: times.joined[i]!,
    fnStarted: times.fnStarted[i]!,
    fnFinished: times.fnFinished[i]!,
    completedSent: times.completedSent[i]!,
  }));
  const pairs = jobs.slice(1).map((t, i) => [jobs[i]!, t] as const);
  const series = {
    overhead: jobs.map((t) =>
      (t.joined - t.claimed!) + (t.completed! - t.completedSent) - upload(t)
    ),
    idleGap: pairs.map(([prev, t]) => t.joined - prev.completed!),
    "claimed → joined the app's queue": jobs.map((t) => t.joined - t.claimed!),
    "process_completed sent → backend finished": jobs.map((t) =>
      t.backend_finished! - t.completedSent
    ),
    "upload (slot + PUT, excluded)": jobs.map(upload),
    "upload → completed": jobs.map((t) => t.completed! - t.upload_finished!),
    ...posterSeries(jobs),
    "the app: joined → function started (excluded)": jobs.map((t) => t.fnStarted - t.joined),
    "the app: function done → process_completed sent (excluded)": jobs.map((t) =>
      t.completedSent - t.fnFinished
    ),
    "GPU idle, function to function, all included": pairs.map(([prev, t]) =>
      t.fnStarted - prev.fnFinished
    ),
  };
  return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v.slice(WARMUP)]));
}

async function processMode() {
  const result = await runShots(CLOSED);
  const jobs = result.ids.map((id) => result.trace.get(id)!);
  const missing = jobs.filter((t) =>
    t.wan2gp_spawned === undefined || t.wan2gp_exited === undefined
  );
  if (missing.length > 0) throw new Error(`${missing.length} jobs did not run wgp.py`);
  const series = {
    overhead: jobs.map((t) =>
      (t.wan2gp_spawned! - t.claimed!) + (t.completed! - t.wan2gp_exited!) - upload(t)
    ),
    "claimed → wgp.py spawned": jobs.map((t) => t.wan2gp_spawned! - t.claimed!),
    "wgp.py exited → backend finished": jobs.map((t) => t.backend_finished! - t.wan2gp_exited!),
    "upload (slot + PUT, excluded)": jobs.map(upload),
    "wgp.py start and run (the fake's, excluded)": jobs.map((t) =>
      t.wan2gp_exited! - t.wan2gp_spawned!
    ),
    ...posterSeries(jobs),
  };
  return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v.slice(WARMUP)]));
}

if (import.meta.main) {
  const path = new URL(AGENT_API_PREFIX, "http://x").pathname; // the agent API the rig serves
  console.log(`${JOBS} shots per mode (${WARMUP} warm-up jobs left out), agent API ${path}`);
  const gradio = await gradioMode();
  console.log("gradio mode (the bridge):");
  for (const [name, samples] of Object.entries(gradio)) {
    console.log(`  ${name}:`, summarize(samples));
  }
  const process = await processMode();
  console.log("process mode (wgp.py --process):");
  for (const [name, samples] of Object.entries(process)) {
    console.log(`  ${name}:`, summarize(samples));
  }
  const workflow = await measureWorkflowBinding(300, 500);
  console.log(`workflow asset, 300 nodes (${workflow.bytes} bytes), 500 runs each:`);
  console.log("  bind (agent, per job):", summarize(workflow.bind));
  console.log("  analyse (edge, per upload or mapping edit):", summarize(workflow.analyse));
  const g = summarize(gradio.overhead!);
  const gap = summarize(gradio.idleGap!);
  const p = summarize(process.overhead!);
  if (WRITE) {
    const written = await writeResults("backends", {
      "backends.wan2gp_gradio.overhead_p50_ms": g.p50,
      "backends.wan2gp_gradio.overhead_p95_ms": g.p95,
      "backends.wan2gp_gradio.idle_gap_p50_ms": gap.p50,
      "backends.wan2gp_gradio.idle_gap_p95_ms": gap.p95,
      "backends.wan2gp_process.overhead_p50_ms": p.p50,
      "backends.wan2gp_process.overhead_p95_ms": p.p95,
      "backends.workflow_bind_p50_ms": summarize(workflow.bind).p50,
      "backends.workflow_bind_p95_ms": summarize(workflow.bind).p95,
      "backends.workflow_analyse_p50_ms": summarize(workflow.analyse).p50,
      "backends.workflow_analyse_p95_ms": summarize(workflow.analyse).p95,
    });
    console.log(`wrote ${written}`);
  }
}
