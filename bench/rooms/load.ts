/**
 * Runs one workload phase against one room implementation: connects the clients, drives edits
 * and cursor moves at the given rates, and measures delivery latency (sent → seen by each other
 * client in the room), deliveries/s, lost and reordered edits, and the server's CPU and memory.
 */
import type { BenchClient, RoomImpl } from "./adapters.ts";
import { cpuUsage } from "node:process";
import { type ServerUsage, serverUsage } from "./server_usage.ts";

export interface Fleet {
  impl: RoomImpl;
  rooms: BenchClient[][];
  stats: PhaseStats;
  /** Each client's edit counter, kept across phases so receivers can check order. */
  counters: Map<BenchClient, number>;
  close(): Promise<void>;
}

interface PhaseStats {
  latencies: number[];
  /** receiver index → sender index → last counter seen */
  last: Map<number, number>[];
  reordered: number;
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
  /** CPU of this process (the load generator), so a saturated client shows up in the table. */
  clientCpuPercent: number;
}

const now = () => performance.timeOrigin + performance.now();

export async function connectFleet(
  impl: RoomImpl,
  roomCount: number,
  perRoom: number,
  prefix: string,
): Promise<Fleet> {
  const stats: PhaseStats = { latencies: [], last: [], reordered: 0 };
  const rooms: BenchClient[][] = [];
  for (let r = 0; r < roomCount; r++) {
    const room: BenchClient[] = [];
    // Connect a room's clients a few at a time: a burst of 2,000 handshakes is not the workload.
    for (let start = 0; start < perRoom; start += 10) {
      const batch = Array.from({ length: Math.min(10, perRoom - start) }, (_, k) => {
        const index = r * perRoom + start + k;
        stats.last[index] = new Map();
        return impl.connect(`${prefix}-${r}`, index, (from, n, sentAt) => {
          stats.latencies.push(now() - sentAt);
          const seen = stats.last[index]!;
          const previous = seen.get(from) ?? 0;
          if (n <= previous) stats.reordered++;
          else seen.set(from, n);
        });
      });
      room.push(...await Promise.all(batch));
    }
    rooms.push(room);
  }
  return {
    impl,
    rooms,
    stats,
    counters: new Map(),
    close: async () => {
      for (const room of rooms) for (const c of room) c.close();
      await new Promise((r) => setTimeout(r, 500));
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
  fleet.stats.latencies = [];
  fleet.stats.reordered = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  const counters = fleet.counters;
  let sent = 0;
  let expected = 0;
  for (const room of fleet.rooms) {
    const activeCount = Math.max(1, Math.round(room.length * o.active));
    for (const client of room.slice(0, activeCount)) {
      const editEvery = 1000 / o.editHz;
      // Random phase so clients don't fire in lockstep.
      const edit = () => {
        const n = (counters.get(client) ?? 0) + 1;
        counters.set(client, n);
        client.edit(n, now());
        sent++;
        expected += room.length - 1;
      };
      timers.push(setTimeout(() => {
        edit();
        timers.push(setInterval(edit, editEvery));
      }, Math.random() * editEvery));
      if (o.cursorHz > 0) {
        timers.push(
          setInterval(
            () => client.cursor(Math.random() * 1000, Math.random() * 1000),
            1000 / o.cursorHz,
          ),
        );
      }
    }
  }
  const before: ServerUsage = await serverUsage(o.serverPid);
  const clientBefore = cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  for (const t of timers) clearInterval(t);
  const clientCpu = cpuUsage(clientBefore);
  const after = await serverUsage(o.serverPid);
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // let in-flight edits land
  const sorted = Float64Array.from(fleet.stats.latencies).sort();
  const pct = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
  const rejects = fleet.rooms.flat().reduce((sum, c) => sum + c.rejects, 0);
  return {
    p50: pct(0.5),
    p99: pct(0.99),
    deliveriesPerS: sorted.length / elapsed,
    sent,
    delivered: sorted.length,
    lost: Math.max(0, expected - sorted.length) + rejects,
    reordered: fleet.stats.reordered,
    cpuPercent: (after.cpuSeconds - before.cpuSeconds) / elapsed * 100,
    rssMiB: after.rssMiB,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 1e6 / elapsed * 100,
  };
}
