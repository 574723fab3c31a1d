/**
 * One thread of the load generator (see load.ts): holds a share of the fleet's clients (every
 * client whose index is `share` modulo `shares`), drives their edits and cursor moves during a
 * phase and reports what its clients saw. Runs as a Web Worker.
 */
import { type BenchClient, oursImpl, relayImpl, type RoomImpl, yjsImpl } from "./adapters.ts";
import type { FleetOptions } from "./load.ts";

/** The fleet's options, and which share of its sockets this worker opens. */
export interface WorkerInit extends FleetOptions {
  share: number;
  shares: number;
}

export interface WorkerPhase {
  active: number;
  editHz: number;
  cursorHz: number;
  seconds: number;
  settleMs: number;
}

export type ToWorker =
  | { type: "connect"; init: WorkerInit }
  | { type: "phase"; phase: WorkerPhase }
  | { type: "close" };

export type FromWorker =
  | { type: "connected" }
  | { type: "error"; message: string }
  | { type: "stopped" }
  | {
    type: "result";
    latencies: Float64Array;
    sent: number;
    expected: number;
    reordered: number;
    rejects: number;
  }
  | { type: "closed" };

const now = () => performance.timeOrigin + performance.now();
const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

interface Client {
  client: BenchClient;
  /** Position in its room: the first `active` fraction of a room edits. */
  slot: number;
  roomSize: number;
  counter: number;
}

let clients: Client[] = [];
let latencies: number[] = [];
let reordered = 0;
/** receiver index → sender index → last counter seen */
const last = new Map<number, Map<number, number>>();

function implFor(init: WorkerInit): RoomImpl {
  if (init.impl === "ours") return oursImpl(init.host, init.secret);
  if (init.impl === "alt") return oursImpl(init.host, init.secret, "alt");
  if (init.impl === "plain" || init.impl === "persist") return relayImpl(init.host, init.impl);
  return yjsImpl(init.host);
}

async function connect(init: WorkerInit): Promise<void> {
  const impl = implFor(init);
  for (let r = 0; r < init.roomCount; r++) {
    const mine: number[] = [];
    for (let slot = 0; slot < init.perRoom; slot++) {
      if ((r * init.perRoom + slot) % init.shares === init.share) mine.push(slot);
    }
    // A few handshakes at a time: a burst of 2,000 is not the workload.
    for (let start = 0; start < mine.length; start += 5) {
      const batch = mine.slice(start, start + 5).map(async (slot) => {
        const index = r * init.perRoom + slot;
        const seen = new Map<number, number>();
        last.set(index, seen);
        const client = await impl.connect(`${init.prefix}-${r}`, index, (from, n, sentAt) => {
          latencies.push(now() - sentAt);
          if (n <= (seen.get(from) ?? 0)) reordered++;
          else seen.set(from, n);
        });
        return { client, slot, roomSize: init.perRoom, counter: 0 };
      });
      clients.push(...await Promise.all(batch));
    }
  }
}

const rejectsNow = () => clients.reduce((sum, c) => sum + c.client.rejects, 0);

async function phase(o: WorkerPhase): Promise<void> {
  latencies = [];
  reordered = 0;
  const rejectsBefore = rejectsNow();
  let sent = 0;
  let expected = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  for (const c of clients) {
    if (c.slot >= Math.max(1, Math.round(c.roomSize * o.active))) continue;
    const editEvery = 1000 / o.editHz;
    const edit = () => {
      c.client.edit(++c.counter, now());
      sent++;
      expected += c.roomSize - 1;
    };
    // Random phase so clients don't fire in lockstep.
    timers.push(setTimeout(() => {
      edit();
      timers.push(setInterval(edit, editEvery));
    }, Math.random() * editEvery));
    if (o.cursorHz > 0) {
      timers.push(setInterval(
        () => c.client.cursor(Math.random() * 1000, Math.random() * 1000),
        1000 / o.cursorHz,
      ));
    }
  }
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  for (const t of timers) clearInterval(t);
  post({ type: "stopped" });
  await new Promise((r) => setTimeout(r, o.settleMs)); // let in-flight edits land
  const out = Float64Array.from(latencies);
  const rejects = rejectsNow() - rejectsBefore;
  post({ type: "result", latencies: out, sent, expected, reordered, rejects }, [out.buffer]);
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    if (m.type === "connect") {
      await connect(m.init);
      post({ type: "connected" });
    } else if (m.type === "phase") {
      await phase(m.phase);
    } else {
      for (const c of clients) c.client.close();
      clients = [];
      await new Promise((r) => setTimeout(r, 500));
      post({ type: "closed" });
      self.close();
    }
  } catch (error) {
    post({ type: "error", message: String(error) });
  }
};
