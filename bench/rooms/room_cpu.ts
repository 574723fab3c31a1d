/**
 * The room logic alone, without a runtime or sockets: CPU per accepted edit in workload (c)'s
 * shape (rooms of 20 live clients, an active client updating its own node), with storage and
 * sockets that only count. Finds where our room spends per op beyond a relay's one send per peer.
 *
 * Usage: deno run -A bench/rooms/room_cpu.ts [--ops=200000] [--per-room=20]
 * (add --cpu-prof to deno run for a profile)
 */
import { emptyGraph } from "../../protocol/graph.ts";
import { type Clock, systemClock } from "../../protocol/clock.ts";
import type { RoomSocket, RoomStorage } from "../../party/ports.ts";
import { CanvasRoom } from "../../party/room.ts";
import { editFrame } from "./adapters.ts";

const arg = (name: string, fallback: number) =>
  Number(Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const OPS = arg("ops", 200_000);
const PER_ROOM = arg("per-room", 20);

let sent = 0;
let bytes = 0;
let writes = 0;
const storage: RoomStorage = {
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve(new Map()),
  put: () => (writes++, Promise.resolve()),
  delete: () => Promise.resolve(),
};
/** Time spent inside the room: its message handler and its timers (commits, presence). */
let busy = 0;
const timed = (fn: () => void) => {
  const t = performance.now();
  fn();
  busy += performance.now() - t;
};
const clock: Clock = {
  ...systemClock,
  setTimer: (fn, ms) => systemClock.setTimer(() => timed(fn), ms),
};
const room = new CanvasRoom("p", {
  storage,
  clock,
  edge: {
    loadGraph: () => Promise.resolve({ revision: 1, graph: emptyGraph() }),
    loadRevision: () => Promise.resolve(emptyGraph()),
    flushRevision: () => Promise.resolve({ revision: 2 }),
  },
});
await room.load();
const sockets: RoomSocket[] = [];
for (let i = 0; i < PER_ROOM; i++) {
  const socket: RoomSocket = {
    id: `c${i}`,
    send: (text) => {
      sent++;
      bytes += text.length;
    },
    close: () => {},
  };
  sockets.push(socket);
  room.connect(socket, {
    sub: `u${i}`,
    project: "p",
    role: "editor",
    name: `u${i}`,
    iat: 0,
    exp: 2e12,
  });
  room.message(socket.id, JSON.stringify({ type: "hello", protocol: 2 }));
  room.message(
    socket.id,
    JSON.stringify({
      type: "node.create",
      opId: "create",
      node: { id: `b${i}`, type: "shot.generate", title: `b${i}`, x: 0, y: 0, params: {} },
    }),
  );
}
await new Promise((r) => setTimeout(r, 10));
sent =
  bytes =
  writes =
  busy =
    0;

// Frames as the bench client sends them, built beforehand so only the room is measured.
const frames = Array.from({ length: 1000 }, (_, n) => editFrame("b0", n + 1, Date.now() + n));
const started = performance.now();
const BATCH = 8; // ops per macrotask, as a busy room receives them
for (let i = 0; i < OPS; i += BATCH) {
  for (let k = 0; k < BATCH; k++) {
    const n = i + k;
    const socket = sockets[n % 2]!;
    const frame = frames[n % 1000]!.replace(`"${n % 1000 + 1}"`, `"${n + 1}"`);
    timed(() => room.message(socket.id, frame));
  }
  await new Promise((r) => setTimeout(r, 0));
}
const wall = performance.now() - started;
const ms = busy;
room.dispose();
console.log(
  `${OPS} ops, ${ms.toFixed(0)} ms in the room (${wall.toFixed(0)} ms wall): ` +
    `${(ms * 1000 / OPS).toFixed(2)} µs/op, ` +
    `${(sent / OPS).toFixed(1)} sends/op, ${(bytes / sent).toFixed(0)} B/send, ` +
    `${(writes / OPS).toFixed(2)} storage puts/op`,
);
