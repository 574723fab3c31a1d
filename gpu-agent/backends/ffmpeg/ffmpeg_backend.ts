/**
 * The ffmpeg backend: runs the CPU processing nodes (transition, composite, upscale) and the
 * `cut.render` job (cut_render.ts) on the agent's machine. Each job: validate params against
 * the catalog, fetch the inputs (through the take cache), probe them, build an argv plan, run
 * ffmpeg with progress, hand back the MP4. It also describes any backend's video outputs
 * (facts and a poster frame, poster.ts).
 *
 * @example
 * ```ts
 * const ffmpeg = new FfmpegBackend();
 * await ffmpeg.probe();
 * if (ffmpeg.canRun("transition", "standard")) await ffmpeg.run(job, { signal, onProgress });
 * ```
 */
import { CONTENT_TYPES, nodeType } from "../../../protocol/nodes.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import { CUT_RENDER, workType } from "../../../protocol/work.ts";
import {
  type BackendJob,
  type BackendResult,
  type BackendStatus,
  type JobBackend,
  JobFailure,
  runnableWork,
  type RunOptions,
  type VideoDescription,
} from "../backend.ts";
import type { RetryOptions } from "../../net/retry.ts";
import { DEFAULT_CACHE_MAX_BYTES, TakeCache } from "../../net/take_cache.ts";
import { renderCut } from "./cut_render.ts";
import { describeVideo } from "./poster.ts";
import { type MediaInfo, probeMedia } from "./media_info.ts";
import { runFfmpeg } from "./run_ffmpeg.ts";
import type { ClipInput, FfmpegPlan } from "./plans/common.ts";
import { type CompositeParams, compositePlan } from "./plans/composite.ts";
import { type TransitionParams, transitionPlan } from "./plans/transition.ts";
import { type UpscaleParams, upscalePlan } from "./plans/upscale.ts";
import { probeFfmpeg } from "./probe_ffmpeg.ts";

export interface FfmpegBackendOptions {
  ffmpeg?: string;
  ffprobe?: string;
  /** Retry tuning for input downloads (tests make it quick). */
  downloadRetry?: Partial<Omit<RetryOptions, "signal">>;
  /** The most the take cache (in each job's `cacheDir`) may hold; default 4 GiB. */
  cacheMaxBytes?: number;
}

export class FfmpegBackend implements JobBackend {
  readonly kind = "ffmpeg" as const;
  #status: BackendStatus | null = null;
  /** Runs in flight: while one runs, ffmpeg is evidently there. */
  #running = 0;

  constructor(private readonly options: FfmpegBackendOptions = {}) {}

  async probe(signal?: AbortSignal): Promise<BackendStatus> {
    // The health check starts three ffmpeg processes (about 50 MB each): not beside a render,
    // whose own run shows ffmpeg works (a render that finds it gone fails, and the next check
    // after it says so). Measured: one landing during a render took the agent's peak from
    // 250 to 349 MB (bench/cut).
    if (this.#running > 0 && this.#status) return this.#status;
    this.#status = await probeFfmpeg({
      ...(this.options.ffmpeg ? { ffmpeg: this.options.ffmpeg } : {}),
      ...(this.options.ffprobe ? { ffprobe: this.options.ffprobe } : {}),
      ...(signal ? { signal } : {}),
    });
    this.#status.runnable = runnableWork("ffmpeg", (type, tier) => this.canRun(type, tier));
    return this.#status;
  }

  canRun(type: string, tier: Tier): boolean {
    const def = workType(type);
    return !!this.#status?.healthy && this.#status.templates.includes(type) &&
      !!def?.backends.includes("ffmpeg") && def.tiers.includes(tier);
  }

  describeVideo(path: string, signal: AbortSignal): Promise<VideoDescription> {
    return this.#busy(() =>
      describeVideo(path, `${path}.poster.jpg`, {
        signal,
        ...(this.options.ffmpeg ? { ffmpeg: this.options.ffmpeg } : {}),
        ...(this.options.ffprobe ? { ffprobe: this.options.ffprobe } : {}),
      })
    );
  }

  run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    return this.#busy(() => this.#run(job, options));
  }

  async #busy<T>(work: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
    }
  }

  async #run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    const cache = new TakeCache(
      job.cacheDir ?? `${job.workDir}/cache`,
      this.options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
    );
    const download = this.options.downloadRetry ? { retry: this.options.downloadRetry } : {};
    if (job.nodeType === CUT_RENDER) {
      return await renderCut(job, options, {
        cache,
        download,
        prepare: (step, what) => _withFailure(step, options.signal, what),
        ...(this.options.ffmpeg ? { ffmpeg: this.options.ffmpeg } : {}),
        ...(this.options.ffprobe ? { ffprobe: this.options.ffprobe } : {}),
      });
    }
    const def = nodeType(job.nodeType);
    if (!def || !def.backends.includes("ffmpeg")) {
      throw new JobFailure(`ffmpeg cannot run node type '${job.nodeType}'`, false, "validation");
    }
    const parsed = def.params.safeParse(job.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join(".") || "params";
      throw new JobFailure(`params.${field}: ${issue.message}`, false, "validation");
    }
    for (const socket of def.inputs.filter((s) => s.required)) {
      if (!job.inputs.some((i) => i.socket === socket.name)) {
        throw new JobFailure(
          `${job.nodeType} needs an input on socket '${socket.name}'`,
          false,
          "validation",
        );
      }
    }
    options.onProgress({ percent: 0, message: "downloading inputs" });
    const paths = await _withFailure(
      async () => {
        const paths = new Map<string, string>();
        for (const input of job.inputs) {
          if (paths.has(input.socket)) {
            throw new TypeError(`input '${input.socket}' is given twice`);
          }
          const { path } = await cache.fetch(input, job.workDir, {
            ...download,
            signal: options.signal,
          });
          paths.set(input.socket, path);
        }
        return paths;
      },
      options.signal,
      "could not download inputs",
    );
    const clip = async (socket: string): Promise<ClipInput | undefined> => {
      const path = paths.get(socket);
      if (!path) return undefined;
      const info: MediaInfo = await probeMedia(path, `input '${socket}'`, {
        signal: options.signal,
        ...(this.options.ffprobe ? { ffprobe: this.options.ffprobe } : {}),
      }).catch((error) => {
        if (options.signal.aborted) throw new JobFailure("canceled", false, "canceled");
        throw error;
      });
      return { path, info };
    };
    const output = `${job.workDir}/output.${CONTENT_TYPES.video.ext}`;
    const params = parsed.data as Record<string, unknown>;
    let plan: FfmpegPlan;
    switch (job.nodeType) {
      case "transition":
        plan = transitionPlan(
          (await clip("from"))!,
          (await clip("to"))!,
          params as unknown as TransitionParams,
          output,
        );
        break;
      case "composite":
        plan = compositePlan(
          (await clip("base"))!,
          (await clip("overlay"))!,
          await clip("mask"),
          params as unknown as CompositeParams,
          output,
        );
        break;
      case "upscale":
        plan = upscalePlan((await clip("video"))!, params as unknown as UpscaleParams, output);
        break;
      default:
        throw new JobFailure(`ffmpeg has no plan for '${job.nodeType}'`, false, "validation");
    }
    await runFfmpeg({
      ...plan,
      label: job.nodeType,
      signal: options.signal,
      onProgress: options.onProgress,
      ...(this.options.ffmpeg ? { ffmpeg: this.options.ffmpeg } : {}),
    });
    const size = await Deno.stat(output).then((s) => s.size, () => 0);
    if (size === 0) throw new JobFailure("ffmpeg finished but wrote no output", false, "output");
    return {
      outputs: [{
        path: output,
        contentType: CONTENT_TYPES.video.contentType,
        ext: CONTENT_TYPES.video.ext,
      }],
    };
  }
}

/** Maps a failure of a preparation step to a JobFailure (canceled when the signal aborted). */
async function _withFailure<T>(
  step: () => Promise<T>,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (signal.aborted) throw new JobFailure("canceled", false, "canceled");
    if (error instanceof JobFailure) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // A bad URL or a 4xx will not get better; a network failure after retries might.
    throw new JobFailure(
      `${what}: ${message}`,
      !(error instanceof TypeError && /url/.test(message)),
      "unavailable",
    );
  }
}
