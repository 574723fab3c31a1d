/**
 * The `run` daemon: health checks, heartbeat, the long-poll claim loop and the jobs it starts,
 * and the staged shutdown. States: starting → claiming ⇄ (jobs running) → draining → stopped.
 *
 * Shutdown (`shutdown()` is called once per Ctrl-C / SIGTERM):
 * 1. drain: stop claiming (the waiting claim is aborted), let running jobs finish;
 * 2. interrupt: abort running jobs and release them back to the queue;
 * 3. kill: abort everything now, edge calls included.
 *
 * @example
 * ```ts
 * const daemon = new Daemon({ edge, backends, gpus, concurrency: 1, workDir, profile });
 * Deno.addSignalListener("SIGINT", () => daemon.shutdown());
 * const { stop } = await daemon.run(); // "drained" | "interrupted" | "killed" | "rejected" | "failed"
 * ```
 */
import { type AgentProfile, CLAIM_MAX_WAIT_MS } from "../../protocol/jobs.ts";
import type { BackendStatus, JobBackend } from "../backends/backend.ts";
import { BackendMonitor } from "../backends/monitor.ts";
import { consoleLogger, type Logger } from "../log/logger.ts";
import { describeError } from "../net/outage_log.ts";
import type { ProgressRenderer } from "../progress/renderer.ts";
import { type Clock, systemClock } from "../../protocol/clock.ts";
import { AgentRejected } from "./edge_client.ts";
import type { EdgeCalls } from "./edge_calls.ts";
import { GpuSlots, type GpuSpec } from "./gpu_slots.ts";
import { Heartbeat } from "./heartbeat.ts";
import { DescribeQueue } from "./describe_takes.ts";
import { type RunningJob, startJob } from "./job_runner.ts";
import type { TraceEvent } from "./trace.ts";
import type { VramSampler } from "../detect/vram_sampler.ts";

export interface DaemonOptions {
  edge: EdgeCalls;
  backends: readonly JobBackend[];
  gpus: readonly GpuSpec[];
  /** Jobs at once (GPU jobs are further limited to one per GPU). */
  concurrency: number;
  workDir: string;
  /** The profile to advertise, given the backends' latest statuses. */
  profile: (statuses: BackendStatus[]) => AgentProfile;
  clock?: Clock;
  logger?: Logger;
  renderer?: ProgressRenderer | null;
  /** Long-poll length per claim; default (and at most) CLAIM_MAX_WAIT_MS. */
  claimWaitMs?: number;
  /** Until the edge names its own; default 15 s. */
  heartbeatIntervalMs?: number;
  /** Backend health re-checks; default 30 s. */
  monitorIntervalMs?: number;
  /** Re-probes of a backend that went away; default 1 s doubling to 30 s. */
  recoveryDelaysMs?: readonly number[];
  maxEventsPerSecond?: number;
  trace?: (event: TraceEvent) => void;
  /**
   * Drain and stop after this long without a job (`--exit-when-idle`): claims wait no longer
   * than the idle time left, and the agent stops only between claims, holding nothing.
   */
  exitWhenIdleMs?: number;
  /** Samples each GPU job's peak memory (nvidia-smi), reported with its completion. */
  vram?: VramSampler;
  /**
   * Finished jobs per slot (`concurrency`) that may wait, past their lease, for their posters
   * while the agent claims more; default 64. A safety valve, not a throttle: a queue forms only
   * when video jobs finish faster than ffmpeg describes them (≈ 0.2 s each), which no real
   * generator does (the benchmark's zero-length fake jobs do), and it bounds the outputs kept on
   * disk and what a drain waits for (64 posters: ≈ 13 s).
   */
  posterBacklog?: number;
}

export type DaemonStop = "drained" | "interrupted" | "killed" | "rejected" | "failed";

export interface DaemonResult {
  stop: DaemonStop;
  /** For "rejected" and "failed": what happened, for the person at the terminal. */
  message?: string;
}

export class Daemon {
  readonly #options: DaemonOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #slots: GpuSlots;
  readonly #drain = new AbortController();
  readonly #hard = new AbortController();
  /**
   * Each claim's run, not keyed by job id: a job retried at once can be claimed again while
   * the run that gave it back is still removing its files.
   */
  readonly #running = new Set<RunningJob>();
  /**
   * Running jobs that still hold their lease. A run outlives its lease while it describes its
   * video takes (poster frames) and removes its files: beside the next job, not before it.
   */
  readonly #leased = new Set<RunningJob>();
  readonly #describeQueue = new DescribeQueue();
  #stage = 0;
  /** Since when no job has run (for `exitWhenIdleMs`). */
  #idleSince: number;
  #fatal: DaemonResult | null = null;
  #jobSettled: (() => void) | null = null;
  readonly #monitor: BackendMonitor;
  readonly #heartbeat: Heartbeat;

  constructor(options: DaemonOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? consoleLogger;
    this.#slots = new GpuSlots(options.gpus);
    this.#idleSince = this.#clock.now();
    this.#monitor = new BackendMonitor(options.backends, {
      clock: this.#clock,
      logger: this.#logger,
      ...(options.monitorIntervalMs ? { intervalMs: options.monitorIntervalMs } : {}),
      ...(options.recoveryDelaysMs ? { recoveryDelaysMs: options.recoveryDelaysMs } : {}),
      onChange: () => void this.#heartbeat.beatNow(),
    });
    this.#heartbeat = new Heartbeat({
      edge: options.edge,
      profile: () => options.profile(this.#monitor.statuses()),
      clock: this.#clock,
      intervalMs: options.heartbeatIntervalMs ?? 15_000,
      onRejected: (error) => this.#reject(error),
    });
  }

  /** Jobs running now. */
  get running(): readonly RunningJob[] {
    return [...this.#running];
  }

  /** Moves shutdown one stage on; returns the stage now in effect (1 drain, 2 interrupt, 3 kill). */
  shutdown(): number {
    this.#stage = Math.min(3, this.#stage + 1);
    const busy = this.#running.size > 0;
    if (this.#stage === 1) {
      this.#logger.info(
        busy
          ? "stopping: finishing the running job, claiming no more (Ctrl-C again to interrupt it and hand it back)"
          : "stopping: claiming no more",
      );
      this.#drain.abort(new DOMException("draining", "AbortError"));
      // Finishing a job takes a while: the edge stops counting this agent as available now.
      if (busy) void this.#heartbeat.drain();
    } else if (this.#stage === 2) {
      if (busy) this.#logger.warn("interrupting: aborting the running job and handing it back");
      this.#drain.abort(new DOMException("draining", "AbortError"));
      for (const job of this.#running) job.interrupt();
    } else {
      this.#logger.warn("exiting now");
      this.#drain.abort(new DOMException("draining", "AbortError"));
      this.#hard.abort(new DOMException("killed", "AbortError"));
    }
    return this.#stage;
  }

  /** Runs until shut down or refused by the edge. Never throws. */
  async run(): Promise<DaemonResult> {
    this.#monitor.start();
    try {
      await this.#monitor.checkNow();
      const hello = await this.#heartbeat.first(this.#drain.signal);
      this.#logger.info(
        `connected to ${this.#options.edge.client.serverUrl} as ${hello.name}; waiting for jobs`,
      );
      this.#heartbeat.start();
      await this.#claimLoop();
    } catch (error) {
      this.#onError(error);
    }
    await Promise.all([...this.#running].map((job) => job.outcome.catch(() => {})));
    // Holding nothing now; a refused agent has no one to tell.
    if (this.#fatal) await this.#heartbeat.stop();
    else await this.#heartbeat.leave();
    await this.#monitor.stop();
    await Promise.all(this.#options.backends.map((backend) => backend.close?.()));
    if (this.#fatal) return this.#fatal;
    return { stop: this.#stage >= 3 ? "killed" : this.#stage === 2 ? "interrupted" : "drained" };
  }

  async #claimLoop(): Promise<void> {
    const { edge } = this.#options;
    const waitMs = Math.min(this.#options.claimWaitMs ?? CLAIM_MAX_WAIT_MS, CLAIM_MAX_WAIT_MS);
    const idleLimit = this.#options.exitWhenIdleMs;
    // Idle from when it can first take work, not from start-up (detection, first heartbeat).
    this.#idleSince = this.#clock.now();
    while (!this.#drain.signal.aborted) {
      // Posters are made one job at a time beside the next jobs; should jobs be shorter than
      // their posters, the queue stays short, never unbounded.
      const finishing = this.#running.size - this.#leased.size;
      if (
        this.#leased.size >= this.#options.concurrency ||
        finishing > (this.#options.posterBacklog ?? 64) * this.#options.concurrency
      ) {
        await this.#nextSettled();
        continue;
      }
      let wait = waitMs;
      if (idleLimit !== undefined && this.#running.size === 0) {
        const left = this.#idleSince + idleLimit - this.#clock.now();
        if (left <= 0) {
          this.#logger.info(`no job for ${Math.round(idleLimit / 1000)} s: exiting`);
          this.#drain.abort(new DOMException("idle", "AbortError"));
          break;
        }
        wait = Math.min(waitMs, Math.ceil(left));
      }
      const job = await edge.call(
        "claim",
        (signal) => edge.client.claim(wait, signal),
        this.#drain.signal,
      );
      if (!job) continue;
      this.#options.trace?.({ type: "claimed", jobId: job.id });
      const running = startJob(job, this.#runnerDeps(), this.#hard.signal);
      this.#running.add(running);
      this.#leased.add(running);
      const settled = () => {
        this.#leased.delete(running);
        this.#jobSettled?.();
      };
      // The edge counts leases, not cleanups: claim again as soon as this job's lease ends.
      void running.leaseEnded.then(settled);
      running.outcome.catch((error) => this.#onError(error)).finally(() => {
        this.#running.delete(running);
        if (this.#running.size === 0) this.#idleSince = this.#clock.now();
        settled();
      });
    }
  }

  /** Resolves when a running job's lease ends or the daemon drains. */
  #nextSettled(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#jobSettled = null;
        this.#drain.signal.removeEventListener("abort", done);
        resolve();
      };
      this.#jobSettled = done;
      this.#drain.signal.addEventListener("abort", done, { once: true });
    });
  }

  #runnerDeps() {
    return {
      edge: this.#options.edge,
      backends: this.#options.backends,
      isHealthy: (backend: JobBackend) => this.#monitor.status(backend.kind)?.healthy === true,
      refreshProfile: async () => {
        await this.#monitor.checkNow();
        await this.#heartbeat.beatNow();
      },
      backendDown: async (backend: JobBackend, problem: string) => {
        this.#monitor.markDown(backend.kind, problem);
        await this.#heartbeat.beatNow();
      },
      slots: this.#slots,
      describeQueue: this.#describeQueue,
      draining: () => this.#drain.signal.aborted,
      ...(this.#options.vram ? { vram: this.#options.vram } : {}),
      workDir: this.#options.workDir,
      clock: this.#clock,
      logger: this.#logger,
      renderer: this.#options.renderer ?? null,
      onRejected: (error: AgentRejected) => this.#reject(error),
      ...(this.#options.maxEventsPerSecond
        ? { maxEventsPerSecond: this.#options.maxEventsPerSecond }
        : {}),
      ...(this.#options.trace ? { trace: this.#options.trace } : {}),
    };
  }

  #onError(error: unknown): void {
    if (error instanceof AgentRejected) return this.#reject(error);
    // Aborts are the shutdown doing its work.
    if (this.#drain.signal.aborted || this.#hard.signal.aborted) return;
    this.#fatal ??= { stop: "failed", message: describeError(error) };
    this.#logger.error(`stopping: ${describeError(error)}`);
    this.#drain.abort(error);
    this.#hard.abort(error);
  }

  /** The edge refused our credentials: nothing more can succeed, so stop everything now. */
  #reject(error: AgentRejected): void {
    if (this.#fatal?.stop === "rejected") return;
    this.#fatal = {
      stop: "rejected",
      message: `${error.message}: this agent was revoked or enrolled elsewhere`,
    };
    this.#logger.error(this.#fatal.message!);
    this.#drain.abort(error);
    this.#hard.abort(error);
  }
}
