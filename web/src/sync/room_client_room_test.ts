/**
 * The sync client against the real room (party/room.ts, in memory): what two editors and a
 * reviewer would see, with the drawn graph maintained exactly as the studio's store is.
 */
import assert from "node:assert/strict";
import type { Graph } from "../../../protocol/graph.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { RoomSocket } from "../../../party/ports.ts";
import { FakeClock } from "../../../test/fakes/fake_clock.ts";
import { type Harness, makeRoom, ticket } from "../../../test/rooms/room_harness.ts";
import { applyChanges, type Change } from "../canvas/changes.ts";
import { type ConnectionState, RoomClient, type SocketLike } from "./room_client.ts";

let connections = 0;

/**
 * A socket pair delivering synchronously between a client and the room; each frame is one turn
 * of the room's (its messages are out when `send` returns).
 */
function bridge(h: Harness, sub: string, role: Role): SocketLike & { drop(): void } {
  const { room } = h;
  const id = `conn-${++connections}`;
  const close = (code: number, reason: string) => {
    if (client.readyState === 3) return;
    client.readyState = 3;
    room.disconnect(id);
    client.onclose?.(new CloseEvent("close", { code, reason }));
  };
  const server: RoomSocket = {
    id,
    send: (text: string) => client.onmessage?.(new MessageEvent("message", { data: text })),
    close,
  } as RoomSocket;
  const client = {
    readyState: 0,
    send: (data: string) => {
      room.message(id, data);
      h.clock.fireDue();
    },
    close: (code = 1000, reason = "") => close(code, reason),
    drop: () => close(1006, "network"),
    onopen: null as ((ev: Event) => void) | null,
    onmessage: null as ((ev: MessageEvent) => void) | null,
    onclose: null as ((ev: CloseEvent) => void) | null,
    onerror: null as ((ev: Event) => void) | null,
  };
  queueMicrotask(() => {
    if (!room.connect(server, ticket(sub, role))) return;
    client.readyState = 1;
    client.onopen?.(new Event("open"));
  });
  return client;
}

/** A studio tab: a client plus the graph it draws, kept the way the graph store keeps it. */
function tab(h: Harness, sub: string, role: Role = "editor") {
  let drawn: Graph = { nodes: {}, edges: {} };
  const rejected: string[] = [];
  const states: ConnectionState[] = [];
  const sockets: ReturnType<typeof bridge>[] = [];
  const clock = new FakeClock();
  const client = new RoomClient({
    ticket: () => Promise.resolve({ ticket: "unused", roomUrl: "ws://room", expiresAt: 0 }),
    connect: () => {
      const s = bridge(h, sub, role);
      sockets.push(s);
      return s;
    },
    // Retries and flushes run only when the test calls `tick()`.
    clock,
    random: () => 0,
    callbacks: {
      graph: (g) => (drawn = structuredClone(g)),
      remoteOps: (ops, _by, rebased) =>
        rebased ? (drawn = structuredClone(rebased)) : applyChanges(drawn, ops),
      rejected: (r) => rejected.push(r),
      connection: (s) => states.push(s),
      peers: () => {},
      cursors: () => {},
      selections: () => {},
      job: () => {},
    },
  });
  return {
    client,
    rejected,
    states,
    sockets,
    drawn: () => drawn,
    edit(changes: Change[], transient = false) {
      applyChanges(drawn, changes);
      client.send(changes, transient);
    },
    /** Runs what is due within ten seconds (a drag-step flush, a reconnect). */
    tick: () => clock.advance(10_000),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const shot = (id: string, x = 0) => ({
  id,
  type: "shot.generate",
  title: id,
  x,
  y: 0,
  params: { prompt: "a door" },
});
const upscale = (id: string) => ({ id, type: "upscale", title: id, x: 400, y: 0, params: {} });

Deno.test("two editors see each other's nodes, edges and drags, and draw the same graph", async () => {
  const h = await makeRoom();
  const ann = tab(h, "ann"), bob = tab(h, "bob");
  ann.client.start();
  bob.client.start();
  await flush();
  ann.edit([{ type: "node.create", node: shot("s1") }, {
    type: "node.create",
    node: upscale("u1"),
  }]);
  bob.edit([{
    type: "edge.create",
    edge: { id: "e1", from: { node: "s1", socket: "video" }, to: { node: "u1", socket: "video" } },
  }]);
  ann.edit([{ type: "node.update", id: "s1", set: { x: 50 } }], true);
  ann.edit([{ type: "node.update", id: "s1", set: { x: 80 } }], true);
  await ann.tick(); // the coalesced drag step goes out
  ann.edit([{ type: "node.update", id: "s1", set: { x: 90 } }]);
  assert.deepEqual(ann.drawn(), bob.drawn());
  assert.equal(bob.drawn().nodes.s1!.x, 90);
  assert.deepEqual(Object.keys(bob.drawn().edges), ["e1"]);
  assert.deepEqual(ann.client.replica.pending, [], "every op was acked");
  ann.client.stop();
  bob.client.stop();
  h.room.dispose();
});

Deno.test("a reviewer's edit is refused by the room and rolled back on their canvas", async () => {
  const h = await makeRoom();
  const ann = tab(h, "ann"), rev = tab(h, "rev", "reviewer");
  ann.client.start();
  rev.client.start();
  await flush();
  ann.edit([{ type: "node.create", node: shot("s1") }]);
  rev.edit([{ type: "node.delete", id: "s1" }]);
  assert.equal(rev.rejected.length, 1);
  assert.deepEqual(
    Object.keys(rev.drawn().nodes),
    ["s1"],
    "the node is back on the reviewer's canvas",
  );
  assert.deepEqual(Object.keys(ann.drawn().nodes), ["s1"]);
  ann.client.stop();
  rev.client.stop();
  h.room.dispose();
});

Deno.test("edits made while disconnected reach teammates after the reconnect", async () => {
  const h = await makeRoom();
  const ann = tab(h, "ann"), bob = tab(h, "bob");
  ann.client.start();
  bob.client.start();
  await flush();
  ann.edit([{ type: "node.create", node: shot("s1") }]);
  ann.sockets.at(-1)!.drop();
  assert.equal(ann.states.at(-1)!.kind, "offline");
  ann.edit([{ type: "node.update", id: "s1", set: { title: "renamed offline" } }]);
  bob.edit([{ type: "node.create", node: upscale("u1") }]);
  assert.equal(bob.drawn().nodes.s1!.title, "s1");
  await ann.tick(); // the retry
  await flush();
  assert.equal(ann.states.at(-1)!.kind, "live");
  assert.equal(bob.drawn().nodes.s1!.title, "renamed offline");
  assert.deepEqual(ann.drawn(), bob.drawn(), "ann also caught up with bob's node");
  ann.client.stop();
  bob.client.stop();
  h.room.dispose();
});
