/**
 * The heartbeat: the agent's profile (GPUs, backends with health, templates and models,
 * concurrency) sent at start and then every interval the edge asks for. It tells the edge the
 * agent is online and what it can be offered. Failures are logged through the shared outage
 * log (once per outage); a 401 means the agent was revoked and goes to `onRejected`.
 */
import type { AgentProfile, HeartbeatResponse } from "../../protocol/jobs.ts";
import type { Clock } from "../../protocol/clock.ts";
import { AgentRejected } from "./edge_client.ts";
import type { EdgeCalls } from "./edge_calls.ts";

export interface HeartbeatOptions {
  edge: EdgeCalls;
  profile: () => AgentProfile;
  clock: Clock;
  /** Until the edge names its own interval. */
  intervalMs: number;
  onRejected: (error: AgentRejected) => void;
}

export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #abort = new AbortController();
  #intervalMs: number;
  #cancelTimer: (() => void) | null = null;
  #inFlight: Promise<void> | null = null;
  /** The beat queued behind the one in flight. */
  #next: Promise<void> | null = null;
  /** Told to stop: every beat from now on says it drains. */
  #draining = false;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** The first heartbeat: retried until the edge answers, `signal` aborts, or it refuses us. */
  async first(signal: AbortSignal): Promise<HeartbeatResponse> {
    const { edge } = this.#options;
    const answer = await edge.call(
      "heartbeat",
      (s) => edge.client.heartbeat(this.#options.profile(), s),
      signal,
    );
    this.#intervalMs = answer.heartbeatIntervalMs;
    return answer;
  }

  /** Heartbeats every interval until `stop()`. */
  start(): void {
    this.#schedule();
  }

  /**
   * One heartbeat now (a backend came or went), carrying the profile as it is at this call:
   * when one is in flight already (with an older profile), another follows it, shared by every
   * call made meanwhile. Failures are logged, not thrown.
   */
  beatNow(): Promise<void> {
    if (this.#inFlight) {
      this.#next ??= this.#inFlight.then(() => {
        this.#next = null;
        return this.beatNow();
      });
      return this.#next;
    }
    this.#inFlight = this.#beat().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /**
   * Says, now and in every later beat, that the agent drains: it is no longer counted as
   * available (an autoscaler that stopped it does not start another while it finishes its job).
   */
  drain(): Promise<void> {
    this.#draining = true;
    return this.beatNow();
  }

  /**
   * Stops, then tells the edge the agent is leaving (one try, 5 s), so it is counted offline at
   * once: an autoscaler reading the pool does not count a stopped agent as running.
   */
  async leave(): Promise<void> {
    await this.stop();
    await this.#options.edge.client.heartbeat(
      this.#options.profile(),
      AbortSignal.timeout(5000),
      { leaving: true },
    ).catch(() => {});
  }

  async stop(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#abort.abort(new DOMException("heartbeat stopped", "AbortError"));
    await this.#inFlight;
    await this.#next;
  }

  #schedule(): void {
    if (this.#abort.signal.aborted) return;
    this.#cancelTimer = this.#options.clock.setTimer(() => {
      this.#cancelTimer = null;
      void this.beatNow().finally(() => this.#schedule());
    }, this.#intervalMs);
  }

  async #beat(): Promise<void> {
    const { edge } = this.#options;
    try {
      const answer = await edge.client.heartbeat(
        this.#options.profile(),
        this.#abort.signal,
        { draining: this.#draining },
      );
      this.#intervalMs = answer.heartbeatIntervalMs;
      edge.outage.recovered();
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      if (error instanceof AgentRejected) return this.#options.onRejected(error);
      edge.outage.failure(error);
    }
  }
}
