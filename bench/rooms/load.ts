/**
 * Runs one workload phase against one room implementation: connects the clients, drives edits
 * and cursor moves at the given rates, and measures delivery latency (sent → seen by each other
 * client in the room), deliveries/s, lost and reordered edits, and the server's CPU and memory.
 *
 * The clients are spread over one worker thread per core (load_worker.ts), so a client-heavy
 * protocol (every Yjs client applies every update to its own document) is not capped by a
 * single-threaded load generator while the others are not.
 */
import { cpuUsage } from "node:process";
import type { RoomImpl } from "./adapters.ts";
import type { FromWorker, ToWorker, WorkerPhase } from "./load_worker.ts";
import { type ServerUsage, serverUsage } from "./server_usage.ts";

export interface Fleet {
  impl: RoomImpl["name"];
  close(): Promise<void>;
  /** @internal */
  workers: LoadWorker[];
}

export interface PhaseResult {
  p50: number;
  p99: number;
  deliveriesPerS: number;
  sent: number;
  delivered: number;
  lost: number;
  reordered: number;
  cpuPercent: number;
  rssMiB: number;
  /** CPU of this process (the load generator, all threads): a saturated client shows up here. */
  clientCpuPercent: number;
}

export interface FleetOptions {
  impl: RoomImpl["name"];
  host: string;
  secret: string;
  roomCount: number;
  perRoom: number;
  prefix: string;
}

const THREADS = Math.max(1, Number(Deno.env.get("LOAD_THREADS") ?? navigator.hardwareConcurrency));

/** A worker thread and the messages it has sent that nobody has taken yet. */
class LoadWorker {
  #worker = new Worker(new URL("./load_worker.ts", import.meta.url), { type: "module" });
  #inbox: FromWorker[] = [];
  #waiting: (() => void) | null = null;

  constructor() {
    this.#worker.onmessage = (e: MessageEvent<FromWorker>) => {
      this.#inbox.push(e.data);
      this.#waiting?.();
    };
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.#inbox.push({ type: "error", message: e.message });
      this.#waiting?.();
    };
  }

  send(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  /** The next message, which must be of `type` (an error from the worker throws). */
  async next<T extends FromWorker["type"]>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    while (this.#inbox.length === 0) {
      await new Promise<void>((resolve) => this.#waiting = resolve);
      this.#waiting = null;
    }
    const m = this.#inbox.shift()!;
    if (m.type === "error") throw new Error(`load worker: ${m.message}`);
    if (m.type !== type) throw new Error(`load worker sent ${m.type}, expected ${type}`);
    return m as Extract<FromWorker, { type: T }>;
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

export async function connectFleet(o: FleetOptions): Promise<Fleet> {
  const workers = Array.from({ length: THREADS }, () => new LoadWorker());
  try {
    workers.forEach((w, share) =>
      w.send({ type: "connect", init: { ...o, share, shares: workers.length } })
    );
    await Promise.all(workers.map((w) => w.next("connected")));
  } catch (error) {
    for (const w of workers) w.terminate();
    throw error;
  }
  return {
    impl: o.impl,
    workers,
    close: async () => {
      for (const w of workers) w.send({ type: "close" });
      await Promise.all(workers.map((w) => w.next("closed").catch(() => {})));
      for (const w of workers) w.terminate();
    },
  };
}

export interface PhaseOptions {
  /** Fraction of each room's clients that edit and move cursors. */
  active: number;
  editHz: number;
  cursorHz: number;
  seconds: number;
  serverPid: number;
}

export async function runPhase(fleet: Fleet, o: PhaseOptions): Promise<PhaseResult> {
  const phase: WorkerPhase = {
    active: o.active,
    editHz: o.editHz,
    cursorHz: o.cursorHz,
    seconds: o.seconds,
    settleMs: 1500,
  };
  const before: ServerUsage = await serverUsage(o.serverPid);
  const clientBefore = cpuUsage();
  const started = performance.now();
  for (const w of fleet.workers) w.send({ type: "phase", phase });
  await Promise.all(fleet.workers.map((w) => w.next("stopped")));
  const clientCpu = cpuUsage(clientBefore);
  const after = await serverUsage(o.serverPid);
  const elapsed = (performance.now() - started) / 1000;
  const results = await Promise.all(fleet.workers.map((w) => w.next("result")));
  const all = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of results) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  const sorted = all.sort();
  const pct = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
  const sum = (f: (r: typeof results[number]) => number) => results.reduce((n, r) => n + f(r), 0);
  const expected = sum((r) => r.expected);
  return {
    p50: pct(0.5),
    p99: pct(0.99),
    deliveriesPerS: sorted.length / elapsed,
    sent: sum((r) => r.sent),
    delivered: sorted.length,
    lost: Math.max(0, expected - sorted.length) + sum((r) => r.rejects),
    reordered: sum((r) => r.reordered),
    cpuPercent: (after.cpuSeconds - before.cpuSeconds) / elapsed * 100,
    rssMiB: after.rssMiB,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 1e6 / elapsed * 100,
  };
}
