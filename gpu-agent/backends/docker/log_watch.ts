/**
 * What a running container's output means for the job: its last line becomes the progress
 * message, the config's progress pattern gives the percent (or step/total), and the last lines
 * of stderr (stdout when stderr is empty) are kept as the failure reason. Reports are coalesced
 * to one per `intervalMs`: a model printing 100,000 lines a second costs a string per line and
 * one report per interval, and memory stays flat.
 *
 * @example
 * ```ts
 * const watch = new LogWatch(/(?<step>\d+)\/(?<total>\d+)/, onProgress);
 * await readLines(stream, (s, line) => watch.line(s, line));
 * watch.close();
 * watch.tail(); // "Traceback …\nRuntimeError: CUDA out of memory"
 * ```
 */
import type { ProgressReport } from "../backend.ts";
import type { StreamName } from "./log_stream.ts";

/** Lines kept for the failure reason. */
export const TAIL_LINES = 20;
/** Longer lines are shown cut and not matched against the pattern. */
const MESSAGE_CHARS = 200;
const MATCH_CHARS = 1000;

export class LogWatch {
  readonly #pattern: RegExp | null;
  readonly #onReport: (report: ProgressReport) => void;
  readonly #intervalMs: number;
  readonly #tails: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  #percent = 0;
  #step: { current: number; total: number } | undefined;
  #message = "";
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A line came since the last report. */
  #fresh = false;
  #closed = false;
  lines = 0;

  constructor(
    pattern: RegExp | null,
    onReport: (report: ProgressReport) => void,
    intervalMs = 100,
  ) {
    this.#pattern = pattern;
    this.#onReport = onReport;
    this.#intervalMs = intervalMs;
  }

  line(stream: StreamName, text: string): void {
    this.lines++;
    const line = text.trimEnd();
    if (!line) return;
    const tail = this.#tails[stream];
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    this.#message = line.length > MESSAGE_CHARS ? `${line.slice(0, MESSAGE_CHARS)}…` : line;
    if (this.#pattern && line.length <= MATCH_CHARS) this.#match(line);
    this.#fresh = true;
    this.#timer ??= setTimeout(() => this.#flush(), this.#intervalMs);
  }

  #match(line: string): void {
    const groups = this.#pattern!.exec(line)?.groups;
    if (!groups) return;
    const step = Number(groups.step);
    const total = Number(groups.total);
    if (Number.isFinite(step) && Number.isFinite(total) && total > 0) {
      this.#step = { current: Math.min(step, total), total };
      this.#percent = (100 * this.#step.current) / total;
    } else if (Number.isFinite(Number(groups.percent))) {
      this.#percent = Math.max(0, Math.min(100, Number(groups.percent)));
      this.#step = undefined;
    }
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#closed || !this.#fresh) return;
    this.#fresh = false;
    this.#onReport({
      percent: this.#percent,
      message: this.#message,
      ...(this.#step ? { step: this.#step } : {}),
    });
  }

  /** Sends the last report now and stops reporting. */
  close(): void {
    clearTimeout(this.#timer);
    this.#flush();
    this.#closed = true;
  }

  /** The last lines of stderr, else of stdout, for a failure reason. */
  tail(): string {
    const lines = this.#tails.stderr.length > 0 ? this.#tails.stderr : this.#tails.stdout;
    return lines.join("\n");
  }
}
