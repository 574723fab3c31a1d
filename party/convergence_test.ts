/**
 * Randomized convergence: simulated clients edit the same graph optimistically over a network
 * with random delays, dropped connections and reconnects. At the end every client's view equals
 * the room's graph and every acknowledged op is in the room's history at the acked seq.
 */
import assert from "node:assert/strict";
import type { ClientMessage, GraphOp, ServerMessage } from "../protocol/canvas.ts";
import { CanvasReplica } from "./replica.ts";
import { FakeSocket, makeRoom, shotNode, ticket } from "../test/rooms/room_harness.ts";

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimClient {
  name: string;
  replica: CanvasReplica;
  socket: FakeSocket | null;
  /** In-flight frames each way; FIFO like TCP, each with its delivery time. */
  up: { at: number; text: string }[];
  down: { at: number; msg: ServerMessage }[];
  acked: Map<string, number>;
}

for (const seed of [1, 2, 3, 4, 5]) {
  Deno.test(`clients editing at once with delays and reconnects converge (seed ${seed})`, async () => {
    const rand = prng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const h = await makeRoom({ logLimit: 40 });
    const history = new Map<number, string>(); // seq → opId, seen by an always-connected observer
    const observer = new FakeSocket("observer");
    observer.send = (text) => {
      const m = JSON.parse(text) as ServerMessage;
      if (m.type === "state.update") history.set(m.seq, m.opId);
    };
    h.room.connect(observer, ticket("observer", "reviewer"));
    h.room.message(observer.id, JSON.stringify({ type: "hello", protocol: 1 }));
    let now = 0;
    let connections = 0;
    const clients: SimClient[] = ["ada", "bob", "cy", "dee"].map((name) => ({
      name,
      replica: new CanvasReplica(),
      socket: null,
      up: [],
      down: [],
      acked: new Map(),
    }));
    const sendUp = (c: SimClient, m: ClientMessage) =>
      c.up.push({ at: now + rand() * 30, text: JSON.stringify(m) });
    const connect = (c: SimClient) => {
      const socket = new FakeSocket(`${c.name}-${++connections}`);
      socket.send = (text) => c.down.push({ at: now + rand() * 30, msg: JSON.parse(text) });
      c.socket = socket;
      h.room.connect(socket, ticket(c.name));
      sendUp(c, c.replica.hello(1));
      for (const m of c.replica.resend()) sendUp(c, m);
    };
    const drop = (c: SimClient) => {
      h.room.disconnect(c.socket!.id);
      c.socket = null;
      c.up = []; // frames on a dead connection never arrive; replies never come back
      c.down = [];
    };
    const randomOp = (c: SimClient): GraphOp => {
      const ids = Object.keys(c.replica.view().nodes);
      const roll = rand();
      if (ids.length < 3 || roll < 0.2) {
        return { type: "node.create", node: shotNode(`${c.name}${Math.floor(rand() * 1e6)}`) };
      }
      if (roll < 0.3) return { type: "node.delete", id: pick(ids) };
      if (roll < 0.45) {
        const kind = pick(["control.pipeline", "upscale"]);
        return kind === "upscale"
          ? {
            type: "edge.create",
            edge: {
              id: `e${Math.floor(rand() * 1e6)}`,
              from: { node: pick(ids), socket: "video" },
              to: { node: pick(ids), socket: "video" },
            },
          }
          : {
            type: "node.create",
            node: {
              ...shotNode(`${c.name}u${Math.floor(rand() * 1e6)}`),
              type: "upscale",
              params: {},
            },
          };
      }
      return {
        type: "node.update",
        id: pick(ids),
        set: pick([{ x: rand() * 100 }, { title: `t${Math.floor(rand() * 9)}` }, {
          params: { prompt: `p${Math.floor(rand() * 9)}` },
        }]),
      };
    };

    clients.forEach(connect);
    for (let step = 0; step < 600; step++) {
      now += 5;
      for (const c of clients) {
        if (!c.socket) {
          if (rand() < 0.1) connect(c);
          continue;
        }
        if (rand() < 0.3) {
          const m = c.replica.local(randomOp(c));
          sendUp(c, m);
        }
        while (c.up[0] && c.up[0].at <= now) h.room.message(c.socket.id, c.up.shift()!.text);
        while (c.down[0] && c.down[0].at <= now) {
          const m = c.down.shift()!.msg;
          if (m.type === "ack") c.acked.set(m.opId, m.seq);
          c.replica.receive(m);
          if (c.replica.needsResync) {
            drop(c);
            break;
          }
        }
        if (c.socket && rand() < 0.01) drop(c);
      }
    }
    // Quiesce: everyone reconnects and all frames are delivered.
    for (const c of clients) if (!c.socket) connect(c);
    for (let round = 0; round < 50; round++) {
      for (const c of clients) {
        for (const f of c.up.splice(0)) h.room.message(c.socket!.id, f.text);
        for (const { msg } of c.down.splice(0)) {
          if (msg.type === "ack") c.acked.set(msg.opId, msg.seq);
          c.replica.receive(msg);
        }
      }
    }
    const truth = h.room.graph;
    let ackedCount = 0;
    for (const c of clients) {
      assert.equal(c.replica.pending.length, 0, `${c.name} still has pending ops`);
      assert.deepEqual(c.replica.view(), truth, `${c.name} diverged`);
      for (const [opId, seq] of c.acked) {
        assert.equal(history.get(seq), opId, `${c.name}'s acked ${opId} is not at seq ${seq}`);
        ackedCount++;
      }
    }
    assert.ok(ackedCount > 100, `only ${ackedCount} acked ops: the simulation did too little`);
    assert.ok(Object.keys(truth!.nodes).length > 0);
    h.room.dispose();
  });
}
