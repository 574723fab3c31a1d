/**
 * The `cut.render` job: checks the params with the cut's own rules, fetches each input the cut
 * plays once (from the take cache when it is there), probes what each holds, then runs the
 * plan's ffmpeg steps (plans/cut_render.ts) with one progress bar for the whole job: downloads
 * fill the first DOWNLOAD_SHARE percent, the picture segments the next part by frames, and the
 * last step (sound and the joined film) the rest, never moving back. Aborting the signal kills
 * the running ffmpeg and stops before the next.
 */
import {
  type CutRenderParams,
  cutRenderParamsSchema,
  transitionProblems,
} from "../../../protocol/cut.ts";
import { CONTENT_TYPES } from "../../../protocol/nodes.ts";
import {
  type BackendJob,
  type BackendResult,
  JobFailure,
  type ProgressReport,
  type RunOptions,
} from "../backend.ts";
import type { DownloadOptions } from "../../net/download.ts";
import type { TakeCache } from "../../net/take_cache.ts";
import { probeStreams } from "./media_info.ts";
import { cutRenderPlan, type RenderSource } from "./plans/cut_render.ts";
import { runFfmpeg } from "./run_ffmpeg.ts";

export interface CutRenderDeps {
  cache: TakeCache;
  download: Omit<DownloadOptions, "signal">;
  /** Maps a failed preparation step to a JobFailure (ffmpeg_backend.ts). */
  prepare: <T>(step: () => Promise<T>, what: string) => Promise<T>;
  ffmpeg?: string;
  ffprobe?: string;
}

/** Shares of the bar: downloads, then the picture; the last step fills what is left. */
const DOWNLOAD_SHARE = 5;
const PICTURE_END = 92;

export async function renderCut(
  job: BackendJob,
  options: RunOptions,
  deps: CutRenderDeps,
): Promise<BackendResult> {
  const params = _validate(job);
  const progress = new _Bar(options.onProgress);
  const names = [
    ...new Set([
      ...params.video.flatMap((c) => (c.input ? [c.input] : [])),
      ...params.audio.map((c) => c.input),
    ]),
  ];
  const sources = new Map<string, RenderSource>();
  let fetched = 0;
  for (const name of names) {
    progress.set(
      (DOWNLOAD_SHARE * fetched) / names.length,
      `fetching input ${fetched + 1} of ${names.length}`,
    );
    const input = job.inputs.find((i) => i.socket === name)!;
    const { path, hit } = await deps.prepare(
      () => deps.cache.fetch(input, job.workDir, { ...deps.download, signal: options.signal }),
      `could not download input '${name}'`,
    );
    const kinds = await deps.prepare(
      () =>
        probeStreams(path, `input '${name}'`, {
          signal: options.signal,
          ...(deps.ffprobe ? { ffprobe: deps.ffprobe } : {}),
        }),
      `could not read input '${name}'`,
    );
    sources.set(name, { path, ...kinds });
    _checkClipsFit(params, name, kinds);
    fetched++;
    if (hit) progress.note(`input ${name} from the cache`);
  }
  const plan = cutRenderPlan(params, sources, job.workDir);
  await Deno.writeTextFile(plan.list.path, plan.list.text);
  const fps = params.format.fps;
  const film = plan.frames / fps;
  const started = Date.now();
  let before = 0;
  for (const step of plan.segments) {
    const at = before;
    const share = (PICTURE_END - DOWNLOAD_SHARE) / film;
    await runFfmpeg({
      ...step,
      label: "render",
      signal: options.signal,
      onProgress: (report) => {
        const done = at + (step.durationSeconds * Math.min(report.percent, 100)) / 100;
        progress.set(
          DOWNLOAD_SHARE + done * share,
          `rendering the picture: ${done.toFixed(1)} s of ${film.toFixed(1)} s`,
          _eta(started, done, film),
        );
      },
      ...(deps.ffmpeg ? { ffmpeg: deps.ffmpeg } : {}),
    });
    before += step.durationSeconds;
  }
  await runFfmpeg({
    ...plan.final,
    label: "film",
    signal: options.signal,
    onProgress: (report) =>
      progress.set(
        PICTURE_END + ((100 - PICTURE_END) * report.percent) / 100,
        `mixing the sound and writing the film: ${report.message.replace(/^film: /, "")}`,
      ),
    ...(deps.ffmpeg ? { ffmpeg: deps.ffmpeg } : {}),
  });
  const size = await Deno.stat(plan.final.output).then((s) => s.size, () => 0);
  if (size === 0) throw new JobFailure("ffmpeg finished but wrote no film", false, "output");
  return {
    outputs: [{
      path: plan.final.output,
      contentType: CONTENT_TYPES.video.contentType,
      ext: CONTENT_TYPES.video.ext,
    }],
  };
}

/** The params by the cut's rules; every input a clip plays must be one of the job's inputs. */
function _validate(job: BackendJob): CutRenderParams {
  const parsed = cutRenderParamsSchema.safeParse(job.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw _invalid(`params.${issue.path.join(".") || "params"}: ${issue.message}`);
  }
  const params = parsed.data;
  const problem = transitionProblems(params.video)[0];
  if (problem) {
    const index = params.video.findIndex((c) => problem.field === `clips.${c.clipId}.transition`);
    throw _invalid(`params.video.${index}.transition: ${problem.message}`);
  }
  const sockets = new Set(job.inputs.map((i) => i.socket));
  const missing = (track: string, clips: { input: string | null }[]) => {
    const at = clips.findIndex((c) => c.input !== null && !sockets.has(c.input));
    if (at >= 0) {
      throw _invalid(`params.${track}.${at}.input: the job has no input '${clips[at]!.input}'`);
    }
  };
  missing("video", params.video);
  missing("audio", params.audio);
  return params;
}

/** A clip that plays input `name` must find a picture there, and start before the take ends. */
function _checkClipsFit(
  params: CutRenderParams,
  name: string,
  kinds: { hasVideo: boolean; durationSeconds: number },
): void {
  const fps = params.format.fps;
  for (const [track, clips] of [["video", params.video], ["audio", params.audio]] as const) {
    clips.forEach((clip, i) => {
      if (clip.input !== name) return;
      if (track === "video" && !kinds.hasVideo) {
        throw _invalid(`params.video.${i}.input: input '${name}' has no picture`);
      }
      if (kinds.durationSeconds > 0 && clip.in / fps >= kinds.durationSeconds) {
        throw _invalid(
          `params.${track}.${i}.in: frame ${clip.in} is past the end of input '${name}' ` +
            `(${kinds.durationSeconds.toFixed(2)} s at ${fps} fps)`,
        );
      }
    });
  }
}

function _invalid(message: string): JobFailure {
  return new JobFailure(message, false, "validation");
}

/** Seconds left, from the rate so far over the whole film. */
function _eta(started: number, done: number, total: number): number | undefined {
  const elapsed = (Date.now() - started) / 1000;
  return done > 0 && elapsed > 0 ? Math.round(((total - done) * elapsed) / done) : undefined;
}

/** The job's progress, never backwards. */
class _Bar {
  #percent = 0;
  constructor(readonly emit: (report: ProgressReport) => void) {}

  set(percent: number, message: string, etaSeconds?: number): void {
    this.#percent = Math.max(this.#percent, Math.min(100, percent));
    this.emit({
      percent: this.#percent,
      message,
      ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    });
  }

  note(message: string): void {
    this.emit({ percent: this.#percent, message });
  }
}
