/**
 * A running job's progress on its way to the edge. Backend progress goes through the throttle
 * (first event at once, then a few per second, the latest one kept), then one POST at a time:
 * while one is in flight, newer events replace the waiting one, and during an edge outage the
 * newest is retried. The throttle re-sends the latest event every `leaseMs / 3`, which keeps the
 * lease alive through long silent steps (a model loading). Each answer is checked: `canceled`
 * and a 409 `lease_lost` are handed to the runner, which stops the job. The latest preview
 * frame rides on the next event, at most one a second.
 */
import {
  type JobEventRequest,
  PREVIEW_MAX_BASE64_CHARS,
  RATIONALE_MAX_CHARS,
} from "../../protocol/jobs.ts";
import type { PreviewFrame, ProgressReport } from "../backends/backend.ts";
import { ProgressThrottle } from "../progress/throttle.ts";
import type { Logger } from "../log/logger.ts";
import { describeError } from "../net/outage_log.ts";
import type { Clock } from "../../protocol/clock.ts";
import { AgentRejected, LeaseLost } from "./edge_client.ts";
import type { EdgeCalls } from "./edge_calls.ts";

/** Previews go out at most this often (a frame per sampling step would be most of the traffic). */
export const PREVIEW_INTERVAL_MS = 1_000;

export interface JobEventsOptions {
  edge: EdgeCalls;
  jobId: string;
  leaseMs: number;
  /** Aborted only when the agent stops hard; the events' own calls end at `close()`. */
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  /** Default 4 events per second. */
  maxPerSecond?: number;
  onCanceled: () => void;
  onLeaseLost: (error: LeaseLost) => void;
  onRejected: (error: AgentRejected) => void;
}

export class JobEvents {
  readonly #options: JobEventsOptions;
  readonly #abort = new AbortController();
  readonly #signal: AbortSignal;
  readonly #throttle: ProgressThrottle<ProgressReport>;
  #pending: ProgressReport | null = null;
  #inFlight: Promise<void> | null = null;
  /** The latest preview frame not sent yet, and when the last one went. */
  #preview: PreviewFrame | null = null;
  #previewSentAt = -Infinity;
  #rationale: string | null = null;
  /** Events the edge acknowledged (for tests and the benchmark). */
  sent = 0;

  constructor(options: JobEventsOptions) {
    this.#options = options;
    this.#signal = AbortSignal.any([options.signal, this.#abort.signal]);
    this.#throttle = this.#newThrottle();
  }

  /** Offers a progress report; it is sent now, soon, or replaced by a newer one. */
  push(report: ProgressReport): void {
    this.#throttle.push(report);
  }

  /**
   * Sends `report` at once (the end of a phase: the last backend step), then throttles again:
   * the next report waits out the interval, so a phase that starts with a report (an upload's
   * first bytes) does not cost a second event right behind this one.
   */
  now(report: ProgressReport): void {
    this.#throttle.now(report);
  }

  /**
   * Keeps the latest preview frame; it rides on the next event at most once per
   * PREVIEW_INTERVAL_MS (frames over the protocol's size limit are dropped).
   */
  preview(frame: PreviewFrame): void {
    if (Math.ceil(frame.bytes.length / 3) * 4 > PREVIEW_MAX_BASE64_CHARS) return;
    this.#preview = frame;
  }

  /**
   * Which backend runs the job and why: it rides on the next event, and on the ones after until
   * the edge has acknowledged one (the edge stores it as the job's rationale).
   */
  rationale(text: string): void {
    this.#rationale = text.slice(0, RATIONALE_MAX_CHARS);
  }

  /** Stops sending: drops anything waiting and abandons a call still being retried. */
  async close(): Promise<void> {
    this.#throttle.close();
    this.#pending = null;
    this.#abort.abort(new DOMException("job events closed", "AbortError"));
    await this.#inFlight;
  }

  #withPreview(event: JobEventRequest): JobEventRequest {
    const now = this.#options.clock.now();
    if (!this.#preview || now - this.#previewSentAt < PREVIEW_INTERVAL_MS) return event;
    const { contentType, bytes } = this.#preview;
    this.#preview = null;
    this.#previewSentAt = now;
    return { ...event, preview: { contentType, base64: _base64(bytes) } };
  }

  #newThrottle(): ProgressThrottle<ProgressReport> {
    return new ProgressThrottle<ProgressReport>({
      send: (report) => {
        this.#pending = report;
        this.#pump();
      },
      maxPerSecond: this.#options.maxPerSecond ?? 4,
      keepAliveMs: Math.max(100, Math.floor(this.#options.leaseMs / 3)),
      clock: this.#options.clock,
    });
  }

  #pump(): void {
    if (this.#inFlight) return;
    this.#inFlight = this.#drain().finally(() => {
      this.#inFlight = null;
    });
  }

  async #drain(): Promise<void> {
    const { edge, jobId } = this.#options;
    while (this.#pending && !this.#signal.aborted) {
      let current = this.#pending;
      const rationale = this.#rationale;
      try {
        const answer = await edge.call("progress", (signal) => {
          // A retry after an outage sends the newest report, not the one that failed.
          current = this.#pending ?? current;
          this.#pending = null;
          const event = this.#withPreview(toEventRequest(current));
          return edge.client.event(jobId, rationale ? { ...event, rationale } : event, signal);
        }, this.#signal);
        this.sent++;
        if (rationale !== null && this.#rationale === rationale) this.#rationale = null;
        if (answer.canceled) {
          this.#options.onCanceled();
          return;
        }
      } catch (error) {
        if (this.#signal.aborted) return;
        if (error instanceof LeaseLost) return this.#options.onLeaseLost(error);
        if (error instanceof AgentRejected) return this.#options.onRejected(error);
        // A fatal answer to one event (a 4xx) should not end the job; the next event may pass.
        this.#options.logger.warn(
          `job ${jobId}: the edge refused a progress event: ${describeError(error)}`,
        );
      }
    }
  }
}

/** A backend's report in the protocol's bounds (the edge refuses anything outside them). */
export function toEventRequest(report: ProgressReport): JobEventRequest {
  const percent = Number.isFinite(report.percent) ? Math.min(100, Math.max(0, report.percent)) : 0;
  const event: JobEventRequest = { percent, message: report.message.slice(0, 1000) };
  const step = report.step;
  if (
    step && Number.isInteger(step.current) && Number.isInteger(step.total) && step.current >= 0 &&
    step.total >= 1
  ) {
    event.step = { current: step.current, total: step.total };
  }
  if (report.etaSeconds !== undefined && Number.isFinite(report.etaSeconds)) {
    event.etaSeconds = Math.min(7 * 24 * 3600, Math.max(0, report.etaSeconds));
  }
  return event;
}

/** Base64 in chunks: spreading a whole frame into one call would overflow the stack. */
function _base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
