/**
 * Randomized convergence: simulated clients edit the same graph optimistically over a network
 * with random delays, dropped connections and reconnects. At the end every client's view equals
 * the room's graph (its cuts included: the first family also edits a cut) and every acknowledged
 * op is in the room's history at the acked seq. The
 * first family sends room ops straight from replicas; the second drives the studio's own client
 * code (canvas engine → changes → room client) with pointer and key input.
 */
import assert from "node:assert/strict";
import {
  type ClientMessage,
  type GraphOp,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../protocol/canvas.ts";
import type { Graph } from "../protocol/graph.ts";
import { cutProblems } from "../protocol/cut.ts";
import { randomCutOp } from "../test/rooms/random_cut_op.ts";
import type { RoomSocket } from "./ports.ts";
import { CanvasReplica } from "../web/src/sync/replica.ts";
import { FakeClock } from "../test/fakes/fake_clock.ts";
import { FakeWebSocket } from "../test/fakes/fake_websocket.ts";
import { FakeSocket, makeRoom, shotNode, ticket } from "../test/rooms/room_harness.ts";
import { applyChanges } from "../web/src/canvas/changes.ts";
import type { CanvasEngine } from "../web/src/canvas/engine.ts";
import { linkCanvas } from "../web/src/sync/canvas_link.ts";
import type { RoomClient } from "../web/src/sync/room_client.ts";

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
    h.room.message(observer.id, JSON.stringify({ type: "hello", protocol: 2 }));
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
      sendUp(c, c.replica.hello(PROTOCOL_VERSION));
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
      if (ids.length >= 3 && rand() < 0.4) return randomCutOp(c.replica.view(), rand, c.name);
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
        h.clock.fireDue(); // the room's turn ends: what it held for the turn's writes goes out
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
        h.clock.fireDue();
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
    const cut = truth!.cuts?.["main"];
    assert.ok(
      cut && Object.keys(cut.clips).length > 0,
      "no cut with clips: the cut ops did nothing",
    );
    assert.deepEqual(cutProblems(cut), []);
    h.room.dispose();
  });
}

// --- The studio's own client code ---------------------------------------------------------------
// The same randomized network, but each client is what a studio tab runs: the canvas engine fed
// pointer and key input (drags that span many network events, clicks, nudges, deletes, undo and
// redo, inspector edits), its changes going through the real wiring (web/src/sync/canvas_link.ts)
// to the real room client, which coalesces drag steps, rebases on the room's order and reconnects.

/** One studio tab on the simulated network; `drawn` is the graph its canvas shows. */
interface SimTab {
  name: string;
  engine: CanvasEngine;
  room: RoomClient;
  drawn: () => Graph;
  socket: (FakeWebSocket & { id: string }) | null;
  up: { at: number; text: string }[];
  down: { at: number; text: string }[];
  /** Where the pointer is while a press (drag or click) is held. */
  pointer: { x: number; y: number } | null;
}

for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
  Deno.test(`studio tabs dragging, clicking and undoing at once converge (seed ${seed})`, async () => {
    const rand = prng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const h = await makeRoom({ logLimit: 40 });
    // Every tab's timers (drag-step flushes, reconnect back-off) on the simulated clock.
    const clock = new FakeClock(0);
    let connections = 0;
    const tabs: SimTab[] = [];
    // partysocket's (zero) wait before a reconnect runs in a real turn; otherwise the promise
    // turns (the room client awaiting its ticket) are enough.
    const settle = async () => {
      if (tabs.some((t) => !t.socket)) await new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < 4; i++) await Promise.resolve();
    };
    /**
     * The WebSocket class of one tab: a connection takes 0.5-1 s of simulated time to open (the
     * tab is offline meanwhile, as it was behind a back-off), then frames take up to 30 ms each
     * way; a dropped connection loses what was in flight.
     */
    const simSocket = (tab: SimTab) =>
      class SimSocket extends FakeWebSocket {
        readonly id = `${tab.name}-${++connections}`;
        constructor(url: string) {
          super(url);
          tab.socket = this;
          tab.up = [];
          tab.down = [];
          const server: RoomSocket = {
            id: this.id,
            send: (text) => tab.down.push({ at: clock.now() + rand() * 30, text }),
            close: (code, reason) => this.drop(code, reason),
          };
          clock.setTimer(() => {
            if (this.readyState === 0 && h.room.connect(server, ticket(tab.name))) this.open();
          }, 500 + rand() * 500);
        }
        override send(data: string): void {
          tab.up.push({ at: clock.now() + rand() * 30, text: data });
        }
        override close(code?: number, reason?: string): void {
          super.close(code, reason);
          this.#gone();
        }
        override drop(code?: number, reason?: string): void {
          super.drop(code, reason);
          this.#gone();
        }
        #gone(): void {
          h.room.disconnect(this.id);
          if (tab.socket !== this) return;
          tab.socket = null;
          tab.up = [];
          tab.down = [];
        }
      };

    const openTab = (name: string): SimTab => {
      let graph: Graph = { nodes: {}, edges: {} };
      const tab = { name, socket: null, up: [], down: [], pointer: null } as unknown as SimTab;
      const { engine, room } = linkCanvas({
        drawn: {
          raw: () => graph,
          apply: (changes) => void applyChanges(graph, changes),
          replace: (next) => void (graph = structuredClone(next)),
        },
        ticket: () => Promise.resolve({ ticket: "unused", roomUrl: "ws://room", expiresAt: 0 }),
        // partysocket reconnects over the simulated network (its own waits are real but zero).
        socket: {
          WebSocket: simSocket(tab),
          minReconnectionDelay: 0,
          maxReconnectionDelay: 0,
          connectionTimeout: 60_000,
        },
        clock,
        random: rand,
        newId: () => `${name}${Math.floor(rand() * 1e9)}`,
        readOnly: () => false,
        on: {
          rejected: () => {},
          connection: () => {},
          peers: () => {},
          cursors: () => {},
          selections: () => {},
          job: () => {},
        },
      });
      Object.assign(tab, { engine, room, drawn: () => graph });
      room.start();
      return tab;
    };

    /** A point on a node's header (the viewport stays at 0,0 ×1, so screen = world). */
    const header = (tab: SimTab, id: string) => {
      const n = tab.drawn().nodes[id]!;
      return { x: n.x + 60, y: n.y + 10 };
    };
    const act = (tab: SimTab) => {
      const e = tab.engine;
      if (tab.pointer) {
        const roll = rand();
        if (roll < 0.6) {
          tab.pointer = {
            x: tab.pointer.x + (rand() - 0.5) * 80,
            y: tab.pointer.y + (rand() - 0.5) * 80,
          };
          e.pointerMove(tab.pointer);
        } else if (roll < 0.96) {
          e.pointerUp(tab.pointer);
          tab.pointer = null;
        } else {
          e.pointerCancel();
          tab.pointer = null;
        }
        return;
      }
      if (rand() > 0.3) return;
      const ids = Object.keys(tab.drawn().nodes);
      const roll = rand();
      if (ids.length < 3 || roll < 0.1) {
        e.place(pick(["upscale", "image.generate", "shot.generate"]), {
          x: rand() * 800,
          y: rand() * 600,
        });
      } else if (roll < 0.45) {
        // A press held over the next steps: a drag, or a click if it ends before moving.
        tab.pointer = header(tab, pick(ids));
        e.pointerDown(tab.pointer, { button: 0 });
      } else if (roll < 0.65) {
        const at = header(tab, pick(ids));
        e.pointerDown(at, { button: 0 });
        e.pointerUp(at);
      } else if (roll < 0.7) e.key({ key: "Delete" });
      else if (roll < 0.8) e.key({ key: "z", ctrlKey: true });
      else if (roll < 0.85) e.key({ key: "z", ctrlKey: true, shiftKey: true });
      else if (roll < 0.9) e.key({ key: "ArrowRight" });
      else {
        const id = pick(ids);
        e.select([id]);
        e.edit([{ type: "node.update", id, set: { title: `t${Math.floor(rand() * 9)}` } }]);
      }
    };
    const deliver = (tab: SimTab, until: number) => {
      const socket = tab.socket;
      if (!socket || socket.readyState !== 1) return;
      while (tab.up[0] && tab.up[0].at <= until) h.room.message(socket.id, tab.up.shift()!.text);
      h.clock.fireDue();
      while (tab.down[0] && tab.down[0].at <= until && tab.socket === socket) {
        socket.receive(tab.down.shift()!.text);
      }
    };

    tabs.push(...["ada", "bob", "cy"].map(openTab));
    await settle();
    for (let step = 0; step < 800; step++) {
      await clock.advance(5);
      await settle();
      for (const tab of tabs) {
        act(tab);
        deliver(tab, clock.now());
        if (tab.socket?.readyState === 1 && rand() < 0.005) tab.socket.drop(1006, "network");
      }
    }
    // Quiesce: presses end, reconnects happen, every frame is delivered.
    for (const tab of tabs) {
      if (tab.pointer) tab.engine.pointerUp(tab.pointer);
      tab.pointer = null;
    }
    for (let round = 0; round < 400; round++) {
      await clock.advance(50);
      await settle();
      for (const tab of tabs) deliver(tab, Infinity);
    }
    const truth = h.room.graph!;
    assert.ok(h.room.seq > 200, `only ${h.room.seq} ops: the simulation did too little`);
    assert.ok(connections > tabs.length, "no tab reconnected: the simulation did too little");
    assert.ok(Object.keys(truth.nodes).length > 0);
    for (const tab of tabs) {
      assert.deepEqual(tab.room.replica.pending, [], `${tab.name} still has edits in flight`);
      assert.deepEqual(tab.drawn(), truth, `${tab.name}'s canvas differs from the room's graph`);
    }
    for (const tab of tabs) tab.room.stop();
    h.room.dispose();
  });
}
