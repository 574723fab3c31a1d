/**
 * Shows job progress to the person running the agent. On a terminal: one bar redrawn in place.
 * Anywhere else (a log file, journald, CI): plain lines, one per 10 % step and one at the end,
 * because carriage returns and escape codes make logs unreadable.
 *
 * @example
 * ```ts
 * const renderer = terminalRenderer();
 * renderer.update("job 3f2a", { percent: 42, message: "KSampler: step 12/20", etaSeconds: 31 });
 * renderer.done("job 3f2a", "uploaded SHOT-010_v01_take01.mp4");
 * ```
 */
import type { ProgressReport } from "../backends/backend.ts";

export interface RendererOptions {
  isTty: boolean;
  write: (text: string) => void;
  /** Terminal width; the bar line is cut to fit. */
  columns?: number;
  barWidth?: number;
}

const encoder = new TextEncoder();

export class ProgressRenderer {
  readonly #options: RendererOptions;
  /** The last 10 % step printed per label, in plain mode. */
  readonly #lastStep = new Map<string, number>();
  #barShown = false;

  constructor(options: RendererOptions) {
    this.#options = options;
  }

  update(label: string, report: ProgressReport): void {
    const percent = clampPercent(report.percent);
    if (this.#options.isTty) {
      const line = `${label} ${bar(percent, this.#options.barWidth ?? 24)} ${
        formatPercent(percent)
      } ${report.message}${
        report.etaSeconds !== undefined ? ` ETA ${formatEta(report.etaSeconds)}` : ""
      }`;
      this.#options.write(`\r\x1b[2K${fit(line, this.#options.columns ?? 80)}`);
      this.#barShown = true;
      return;
    }
    const step = Math.floor(percent / 10);
    if (this.#lastStep.get(label) === step) return;
    this.#lastStep.set(label, step);
    this.#options.write(`${label} ${formatPercent(percent)} ${report.message}\n`);
  }

  /** Ends the job's display with a final line (success or failure). */
  done(label: string, message: string): void {
    this.#lastStep.delete(label);
    const prefix = this.#options.isTty && this.#barShown ? "\r\x1b[2K" : "";
    this.#barShown = false;
    this.#options.write(`${prefix}${label} ${message}\n`);
  }
}

/** A renderer on stdout, in bar mode when stdout is a terminal. */
export function terminalRenderer(): ProgressRenderer {
  const isTty = Deno.stdout.isTerminal();
  let columns = 80;
  if (isTty) {
    try {
      columns = Deno.consoleSize().columns;
    } catch {
      // Some terminals cannot report a size; 80 columns is a safe guess.
    }
  }
  return new ProgressRenderer({
    isTty,
    columns,
    write: (text) => Deno.stdout.writeSync(encoder.encode(text)),
  });
}

function clampPercent(percent: number): number {
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
}

function bar(percent: number, width: number): string {
  const filled = Math.round((percent / 100) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

function formatPercent(percent: number): string {
  return `${Math.floor(percent)}%`.padStart(4);
}

/** Seconds as m:ss, or h:mm:ss past an hour. */
export function formatEta(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function fit(line: string, columns: number): string {
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1));
}
