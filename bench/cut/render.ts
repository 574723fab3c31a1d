/**
 * Cut benchmark, render part (run by main.ts, or alone: `deno run -A bench/cut/render.ts
 * [--runs N] [--compare] [--no-write]`).
 *
 * The 20-shot, 60 s cut of cut_media.ts (1280x720, 24 fps, five transitions, two audio tracks),
 * its takes stored on a real edge (HTTP, temp database) in this process, rendered by the real
 * agent alone in its own process (bench/agent/agent_process.ts) with its production timings and
 * an empty take cache each run, `--runs` times (default 3):
 * - `cut.render_realtime_x`: the film's length over the job's wall time, claimed → completed
 *   (downloads, render, poster, upload, completion): the median of the runs;
 * - `cut.render_peak_rss_mb`: the largest resident memory of the agent and its ffmpeg runs added
 *   up, sampled every 25 ms from /proc while the job runs: the highest of the runs;
 * - `cut.render_cpu_s`: CPU seconds (user + system) of the agent and its ffmpeg runs for the job:
 *   the median of the runs. Other sessions on the cores stretch wall time far more than this,
 *   so `film seconds / (cpu / cores)` bounds what an idle machine could reach.
 * Each film is checked (60 s, 1,440 frames) before its figures count.
 *
 * `--compare` renders the same cut with the plan alone (no edge, no agent), alternating its
 * choices: segments of at most 4 files against one filter graph over every clip, and x264
 * `ultrafast` against `veryfast`; wall time and ffmpeg's peak RSS per choice. Never writes.
 *
 * Writes its keys into bench/results/cut.json (not with `--no-write`), leaving the keys other
 * cut benchmarks write.
 */
import { enqueueRender } from "../../edge/services/jobs/enqueue_render.ts";
import { inspect } from "../../gpu-agent/backends/ffmpeg/test_media.ts";
import { probeStreams } from "../../gpu-agent/backends/ffmpeg/media_info.ts";
import {
  cutRenderPlan,
  type RenderSource,
} from "../../gpu-agent/backends/ffmpeg/plans/cut_render.ts";
import { type Rig, rig } from "../../test/agent/rig.ts";
import { agentProfile, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { runAgentProcess } from "../lib/agent_process.ts";
import { mergeResults } from "../lib/results.ts";
import { median } from "../lib/stats.ts";
import { cutParams, FILM_SECONDS, makeCutMedia, type MediaFile } from "./cut_media.ts";
import { TreeRss } from "./tree_rss.ts";

const RUNS = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 3;
const WRITE = !Deno.args.includes("--no-write");

interface RunFigures {
  /** Claimed → completed. */
  jobSeconds: number;
  /** The backend's run alone (downloads, probes, ffmpeg). */
  renderSeconds: number;
  peakTotalMiB: number;
  peakAgentMiB: number;
  peakFfmpegMiB: number;
  idleAgentMiB: number;
  cpuSeconds: number;
}

/** Stores every file as a ready take, made by a scripted agent; returns input name → take id. */
async function storeTakes(r: Rig, files: MediaFile[]): Promise<Record<string, string>> {
  const nodes = Object.fromEntries(files.map((f) => [f.input, {
    id: f.input,
    type: f.kind === "video" ? "shot.generate" : "audio.generate",
    title: f.input,
    x: 0,
    y: 0,
    params: { prompt: f.input },
  }]));
  await r.saveGraph({ nodes, edges: {} });
  const maker = await enrollAgent(r.edge.t, r.user, agentProfile());
  const takes: Record<string, string> = {};
  for (const file of files) {
    await r.generate({ id: file.input, type: nodes[file.input]!.type, params: { prompt: "x" } });
    const job = await maker.claim();
    if (!job) throw new Error(`no job for ${file.input}`);
    const [ext, type] = file.kind === "video" ? ["mp4", "video/mp4"] : ["wav", "audio/wav"];
    const output = await maker.upload(job.id, await Deno.readFile(file.path), ext, type);
    const done = await maker.complete(job.id, [output]);
    if (done.status !== 200) throw new Error(`complete: ${JSON.stringify(done.body)}`);
    takes[file.input] = done.body.takes[0].id;
  }
  return takes;
}

/** One render by a fresh agent process with an empty take cache. */
async function renderOnce(r: Rig, takes: Record<string, string>): Promise<RunFigures> {
  const workDir = await Deno.makeTempDir({ prefix: "md-cut-bench-agent-" });
  const stop = new AbortController();
  let sampler: TreeRss | null = null;
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => ready = resolve);
  try {
    const agent = runAgentProcess(
      { configDir: r.configDir, workDir, comfyuiUrl: r.fake.url, jobs: 1, fast: false },
      ready,
      stop.signal,
      (pid) => sampler = new TreeRss(pid),
    );
    await Promise.race([connected, agent]);
    // The agent at rest, before any job.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    sampler!.sample();
    const idleAgentMiB = sampler!.stop().rootMiB;
    sampler = new TreeRss(sampler!.pid);
    sampler.start(25);
    const { job } = await enqueueRender(r.edge.t.deps, {
      projectId: r.projectId,
      userId: r.user.id,
      params: cutParams(),
      inputs: takes,
    });
    const report = await agent;
    const peaks = sampler.stop();
    const at = (type: string) => {
      const event = report.trace.find(([t, id]) => t === type && id === job.id);
      if (!event) throw new Error(`no ${type} in the agent's trace: ${report.warnings.join("\n")}`);
      return event[2];
    };
    const film = (await r.takes("bench-cut"))[0]!;
    const path = `${workDir}/film.mp4`;
    await Deno.writeFile(path, new Uint8Array(await (await fetch(film.url)).arrayBuffer()));
    const out = await inspect(path);
    if (out.frames !== 1440 || Math.abs(out.durationSeconds - FILM_SECONDS) > 1 / 24) {
      throw new Error(`the film is ${out.durationSeconds} s, ${out.frames} frames`);
    }
    return {
      jobSeconds: (at("completed") - at("claimed")) / 1000,
      renderSeconds: (at("backend_finished") - at("backend_started")) / 1000,
      peakTotalMiB: peaks.totalMiB,
      peakAgentMiB: peaks.rootMiB,
      peakFfmpegMiB: peaks.childrenMiB,
      idleAgentMiB,
      cpuSeconds: peaks.cpuSeconds,
    };
  } finally {
    stop.abort();
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}

/** The plan's choices side by side, ffmpeg alone: wall seconds and ffmpeg's peak RSS. */
async function compare(files: MediaFile[], dir: string): Promise<void> {
  const sources = new Map<string, RenderSource>();
  for (const file of files) {
    const kinds = await probeStreams(file.path, file.input);
    sources.set(file.input, { path: file.path, ...kinds });
  }
  const variants = [
    { name: "segments of 4 files, ultrafast (shipped)", options: {} },
    { name: "one filter graph, ultrafast", options: { maxSegmentInputs: 1000 } },
    { name: "segments of 4 files, veryfast", options: { preset: "veryfast" } },
    { name: "one filter graph, veryfast", options: { maxSegmentInputs: 1000, preset: "veryfast" } },
  ];
  const results = new Map(
    variants.map((v) => [v.name, { seconds: [] as number[], mib: [] as number[] }]),
  );
  for (let round = 0; round < RUNS; round++) {
    for (const variant of variants) {
      const work = await Deno.makeTempDir({ dir, prefix: "compare-" });
      const plan = cutRenderPlan(cutParams(), sources, work, variant.options);
      await Deno.writeTextFile(plan.list.path, plan.list.text);
      let peak = 0;
      const started = performance.now();
      for (const step of [...plan.segments, plan.final]) {
        const child = new Deno.Command("ffmpeg", {
          args: step.args,
          stdin: "null",
          stdout: "null",
          stderr: "piped",
        }).spawn();
        const rss = new TreeRss(child.pid);
        rss.start(20);
        const { success, stderr } = await child.output();
        peak = Math.max(peak, rss.stop().rootMiB);
        if (!success) throw new Error(new TextDecoder().decode(stderr).slice(-800));
      }
      const seconds = (performance.now() - started) / 1000;
      results.get(variant.name)!.seconds.push(seconds);
      results.get(variant.name)!.mib.push(peak);
      console.log(
        `  round ${round + 1}: ${variant.name}: ${seconds.toFixed(1)} s, ${peak.toFixed(0)} MiB`,
      );
      await Deno.remove(work, { recursive: true });
    }
  }
  console.log(`\nffmpeg alone, ${RUNS} rounds alternated (median, range):`);
  for (const [name, { seconds, mib }] of results) {
    console.log(
      `  ${name}: ${(FILM_SECONDS / median(seconds)).toFixed(2)}x real time ` +
        `(${_range(seconds.map((s) => FILM_SECONDS / s), 2)}), peak ${
          median(mib).toFixed(0)
        } MiB ` +
        `(${_range(mib, 0)})`,
    );
  }
}

/** The 1-minute load average: other sessions share this machine's two cores. */
function _load(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ")[0]!;
}

function _range(values: number[], digits: number): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "md-cut-bench-" });
  try {
    console.log("making 20 shots and 3 sounds with testsrc2 and sine…");
    const files = await makeCutMedia(dir);
    if (Deno.args.includes("--compare")) {
      await compare(files, dir);
    } else {
      const settings = {
        LEASE_MS: "60000",
        HEARTBEAT_INTERVAL_MS: "15000",
        CLAIM_RECHECK_MS: "1000",
      };
      await using r = await rig(settings);
      const takes = await storeTakes(r, files);
      const runs: RunFigures[] = [];
      for (let i = 0; i < RUNS; i++) {
        const before = _load();
        const run = await renderOnce(r, takes);
        runs.push(run);
        console.log(
          `run ${i + 1} (load ${before} → ${_load()}): job ${run.jobSeconds.toFixed(2)} s (${
            (FILM_SECONDS / run.jobSeconds).toFixed(2)
          }x real time; the render alone ${run.renderSeconds.toFixed(2)} s), peak RSS ${
            run.peakTotalMiB.toFixed(0)
          } MiB (agent ${run.peakAgentMiB.toFixed(0)}, idle ${
            run.idleAgentMiB.toFixed(0)
          }; ffmpeg ${run.peakFfmpegMiB.toFixed(0)}), CPU ${run.cpuSeconds.toFixed(1)} s`,
        );
      }
      const realtime = runs.map((run) => FILM_SECONDS / run.jobSeconds);
      const peak = Math.max(...runs.map((run) => run.peakTotalMiB));
      const cpu = median(runs.map((run) => run.cpuSeconds));
      const cores = navigator.hardwareConcurrency;
      console.log(
        `\ncut.render_realtime_x: ${median(realtime).toFixed(2)} (median of ${RUNS}, ${
          _range(realtime, 2)
        }); cut.render_peak_rss_mb: ${peak.toFixed(0)} (highest of ${RUNS}); cut.render_cpu_s: ${
          cpu.toFixed(1)
        } (median; ${FILM_SECONDS} s of film / (CPU / ${cores} cores) = ${
          (FILM_SECONDS / (cpu / cores)).toFixed(2)
        }x at most on an idle machine)`,
      );
      if (WRITE) {
        const path = await mergeResults("cut", {
          "cut.render_realtime_x": Math.round(median(realtime) * 100) / 100,
          "cut.render_realtime_x_min": Math.round(Math.min(...realtime) * 100) / 100,
          "cut.render_realtime_x_max": Math.round(Math.max(...realtime) * 100) / 100,
          "cut.render_peak_rss_mb": Math.round(peak),
          "cut.render_cpu_s": Math.round(cpu * 10) / 10,
          "cut.render_agent_peak_rss_mb": Math.round(Math.max(...runs.map((r) => r.peakAgentMiB))),
          "cut.render_ffmpeg_peak_rss_mb": Math.round(
            Math.max(...runs.map((r) => r.peakFfmpegMiB)),
          ),
        });
        console.log(`wrote ${path}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
