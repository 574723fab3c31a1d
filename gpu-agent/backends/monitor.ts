/**
 * Keeps an eye on the local backends: probes each one every 30 s, keeps the latest status for
 * the heartbeat, and logs only changes (found, went away, came back), once each.
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
import { type Clock, systemClock } from "../time/clock.ts";
import { consoleLogger, type Logger } from "../log/logger.ts";

export interface MonitorOptions {
  /** Default 30 s. */
  intervalMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Called after a check in which some backend's health changed. */
  onChange?: (statuses: BackendStatus[]) => void;
}

export class BackendMonitor {
  readonly #backends: readonly JobBackend[];
  readonly #latest = new Map<Backend, BackendStatus>();
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onChange: ((statuses: BackendStatus[]) => void) | undefined;
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

  /** Stops the schedule, aborts a probe in flight and waits for it to end. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#abort.abort();
    await this.#inFlight?.catch(() => {});
  }

  async #check(): Promise<BackendStatus[]> {
    const signal = this.#abort.signal;
    const results = await Promise.all(this.#backends.map((backend) => _safeProbe(backend, signal)));
    if (signal.aborted) return this.statuses();
    let changed = false;
    for (const status of results) {
      const before = this.#latest.get(status.kind);
      this.#latest.set(status.kind, status);
      if (before?.healthy === status.healthy) continue;
      changed = true;
      this.#report(before, status);
    }
    if (changed) this.#onChange?.(this.statuses());
    return this.statuses();
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
