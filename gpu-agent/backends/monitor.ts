/**
 * Keeps an eye on the local backends: probes each one every 30 s, keeps the latest status for
 * the heartbeat, and logs only changes (found, went away, came back), once each. A run that
 * finds its backend unreachable marks it down at once (`markDown`); from then on that backend
 * is re-probed with backoff (1 s, 2 s, 4 s … at most 30 s apart) until it answers again.
 *
 * @example
 * ```ts
 * const monitor = new BackendMonitor([ffmpeg, comfyui], { logger });
 * monitor.start();
 * heartbeat({ backends: monitor.statuses() });
 * await monitor.stop();
 * ```
 */
import type { Backend } from "../../protocol/nodes.ts";
import type { BackendStatus, JobBackend } from "./backend.ts";
import { type Clock, systemClock } from "../../protocol/clock.ts";
import { consoleLogger, type Logger } from "../log/logger.ts";

export interface MonitorOptions {
  /** Default 30 s. */
  intervalMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Delays between re-probes of a backend marked down; the last repeats. Default 1 s … 30 s. */
  recoveryDelaysMs?: readonly number[];
  /** Called after a check in which some backend's health changed. */
  onChange?: (statuses: BackendStatus[]) => void;
}

/** Re-probes of a backend that went away: doubling from 1 s, never more than 30 s apart. */
export const RECOVERY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

export class BackendMonitor {
  readonly #backends: readonly JobBackend[];
  readonly #latest = new Map<Backend, BackendStatus>();
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onChange: ((statuses: BackendStatus[]) => void) | undefined;
  readonly #recoveryDelaysMs: readonly number[];
  /** Backends being re-probed after going away, with the cancel of the next re-probe. */
  readonly #recovering = new Map<Backend, () => void>();
  #cancelTimer: (() => void) | null = null;
  #inFlight: Promise<BackendStatus[]> | null = null;
  #running = false;
  #abort = new AbortController();

  constructor(backends: readonly JobBackend[], options: MonitorOptions = {}) {
    this.#backends = backends;
    this.#intervalMs = options.intervalMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? consoleLogger;
    this.#onChange = options.onChange;
    this.#recoveryDelaysMs = options.recoveryDelaysMs?.length
      ? options.recoveryDelaysMs
      : RECOVERY_DELAYS_MS;
  }

  /** The latest status of every backend probed so far, in the order the backends were given. */
  statuses(): BackendStatus[] {
    return this.#backends.flatMap((b) => this.#latest.get(b.kind) ?? []);
  }

  status(kind: Backend): BackendStatus | undefined {
    return this.#latest.get(kind);
  }

  /** The backends that were healthy at the last check (the ones the claim loop may use). */
  healthyBackends(): JobBackend[] {
    return this.#backends.filter((b) => this.#latest.get(b.kind)?.healthy);
  }

  /** Probes every backend now (concurrently); one check at a time. */
  checkNow(): Promise<BackendStatus[]> {
    this.#inFlight ??= this.#check().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** Checks at once, then every interval until `stop()`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    const tick = () => {
      this.#cancelTimer = null;
      void this.checkNow().finally(() => {
        if (this.#running) this.#cancelTimer = this.#clock.setTimer(tick, this.#intervalMs);
      });
    };
    tick();
  }

  /**
   * A run found the backend unreachable: it counts as down now (logged once, `onChange` called,
   * so the heartbeat stops advertising it), and it is re-probed with backoff until it answers.
   */
  markDown(kind: Backend, problem: string): void {
    const before = this.#latest.get(kind);
    if (before?.healthy !== false) {
      // #apply starts the re-probes of a backend that was healthy.
      this.#apply([{
        kind,
        version: before?.version ?? null,
        healthy: false,
        templates: [],
        models: [],
        problem: problem.slice(0, 1000),
      }]);
    }
    this.#recover(kind, 0);
  }

  /** Stops the schedule, aborts a probe in flight and waits for it to end. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    for (const cancel of this.#recovering.values()) cancel();
    this.#recovering.clear();
    this.#abort.abort();
    await this.#inFlight?.catch(() => {});
  }

  /** Probes `kind` after the `attempt`-th recovery delay, again and again until it is healthy. */
  #recover(kind: Backend, attempt: number): void {
    const backend = this.#backends.find((b) => b.kind === kind);
    if (!backend || this.#recovering.has(kind) || this.#abort.signal.aborted) return;
    const delays = this.#recoveryDelaysMs;
    const delay = delays[Math.min(attempt, delays.length - 1)]!;
    this.#recovering.set(
      kind,
      this.#clock.setTimer(async () => {
        const signal = this.#abort.signal;
        const status = await _safeProbe(backend, signal);
        this.#recovering.delete(kind);
        if (signal.aborted) return;
        // The regular check may have found it back meanwhile; then this probe only confirms.
        this.#apply([status]);
        if (!status.healthy) this.#recover(kind, attempt + 1);
      }, delay),
    );
  }

  async #check(): Promise<BackendStatus[]> {
    const signal = this.#abort.signal;
    const results = await Promise.all(this.#backends.map((backend) => _safeProbe(backend, signal)));
    if (signal.aborted) return this.statuses();
    this.#apply(results);
    return this.statuses();
  }

  /** Records new statuses; logs and reports the ones whose health changed. */
  #apply(results: BackendStatus[]): void {
    let changed = false;
    for (const status of results) {
      const before = this.#latest.get(status.kind);
      this.#latest.set(status.kind, status);
      if (before?.healthy === status.healthy) {
        // Same health, other work (a model file added or removed): the edge must hear of it.
        if (_workKey(before) !== _workKey(status)) changed = true;
        continue;
      }
      changed = true;
      this.#report(before, status);
      if (status.healthy) {
        // Back, found by any check: the backoff re-probes have done their work.
        this.#recovering.get(status.kind)?.();
        this.#recovering.delete(status.kind);
      } else if (before?.healthy) {
        this.#recover(status.kind, 0);
      }
    }
    if (changed) this.#onChange?.(this.statuses());
  }

  #report(before: BackendStatus | undefined, now: BackendStatus): void {
    const version = now.version ? ` ${now.version}` : "";
    if (now.healthy) {
      this.#logger.info(before ? `${now.kind}${version} is back` : `${now.kind}${version} found`);
    } else {
      const fix = now.problem ? `: ${now.problem}` : "";
      this.#logger.warn(before ? `${now.kind} went away${fix}` : `${now.kind} not available${fix}`);
    }
  }
}

function _workKey(status: BackendStatus): string {
  return JSON.stringify(status.runnable ?? []);
}

/** probe() promises never to throw; a broken backend must still not stop the monitor. */
async function _safeProbe(backend: JobBackend, signal: AbortSignal): Promise<BackendStatus> {
  try {
    return await backend.probe(signal);
  } catch (error) {
    return {
      kind: backend.kind,
      version: null,
      healthy: false,
      templates: [],
      models: [],
      problem: `health check failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
