/**
 * One job's progress bar as people see it (terminal, node card): 0 to 100 and never backwards.
 * The backend's run fills the first RUN_SHARE percent and the upload the rest, by bytes sent,
 * so "done" is not shown before the outputs have reached the studio. A backend report that
 * would move the bar back (ComfyUI's "queued" arriving after its first cached nodes) keeps its
 * message and the percent already shown.
 *
 * @example
 * ```ts
 * const bar = new JobBar();
 * bar.run({ percent: 50, message: "KSampler: step 10/20" }); // 45 %
 * bar.upload(5e6, 1e7, "uploading take01.png");                // 95 %
 * ```
 */
import type { ProgressReport } from "../backends/backend.ts";

/** The share of the bar the backend's run fills; the upload fills the rest. */
export const RUN_SHARE = 90;

export class JobBar {
  #percent = 0;

  /** A report of the run (the backend's, or the runner's own: "starting", "waiting for a GPU"). */
  run(report: ProgressReport): ProgressReport {
    return { ...report, percent: this.#advance((_clamp(report.percent) * RUN_SHARE) / 100) };
  }

  /** The upload of `total` bytes (all outputs together), `sent` of them so far. */
  upload(sent: number, total: number, message: string): ProgressReport {
    const share = total > 0 ? Math.min(1, sent / total) : 1;
    return { percent: this.#advance(RUN_SHARE + share * (100 - RUN_SHARE)), message };
  }

  #advance(percent: number): number {
    this.#percent = Math.max(this.#percent, Math.floor(percent));
    return this.#percent;
  }
}

function _clamp(percent: number): number {
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
}
