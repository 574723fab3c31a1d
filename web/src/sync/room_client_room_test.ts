/**
 * The sync client against the real room (party/room.ts, in memory): what two editors and a
 * reviewer would see, with the drawn graph maintained exactly as the studio's store is.
 */
import assert from "node:assert/strict";
import type { Graph } from "../../../protocol/graph.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { RoomSocket } from "../../../party/ports.ts";
import { FakeClock } from "../../../test/fakes/fake_clock.ts";
import { FakeWebSocket } from "../../../test/fakes/fake_websocket.ts";
import { until } from "../../../test/until.ts";
import { type Harness, makeRoom, ticket } from "../../../test/rooms/room_harness.ts";
import { applyChanges, type Change } from "../canvas/changes.ts";
import { type ConnectionState, RoomClient } from "./room_client.ts";

let connections = 0;

/**
 * partysocket's WebSocket for one person's tab, joined to the in-memory room: the room takes the
 * connection (or refuses it), and frames go each way synchronously; each frame the client sends
 * is one turn of the room's (its messages are out when `send` returns).
 */
function roomSockets(h: Harness, sub: string, role: Role) {
  const made: FakeWebSocket[] = [];
  class RoomBridge extends FakeWebSocket {
    readonly id = `conn-${++connections}`;
    constructor(url: string) {
      super(url);
      made.push(this);
      const server: RoomSocket = {
        id: this.id,
        send: (text) => this.receive(text),
        close: (code, reason) => this.drop(code, reason),
      };
      queueMicrotask(() => {
        if (this.readyState === 0 && h.room.connect(server, ticket(sub, role))) this.open();
      });
    }
    override send(data: string): void {
      super.send(data);
      h.room.message(this.id, data);
      h.clock.fireDue();
    }
    override close(code?: number, reason?: string): void {
      super.close(code, reason);
      h.room.disconnect(this.id);
    }
    override drop(code?: number, reason?: string): void {
      super.drop(code, reason);
      h.room.disconnect(this.id);
    }
  }
  return { made, WebSocket: RoomBridge };
}

/** A studio tab: a client plus the graph it draws, kept the way the graph store keeps it. */
function tab(h: Harness, sub: string, role: Role = "editor") {
  let drawn: Graph = { nodes: {}, edges: {} };
  const rejected: string[] = [];
  const states: ConnectionState[] = [];
  const sockets = roomSockets(h, sub, role);
  const clock = new FakeClock();
  const client = new RoomClient({
    ticket: () => Promise.resolve({ ticket: "unused", roomUrl: "ws://room", expiresAt: 0 }),
    socket: { WebSocket: sockets.WebSocket, minReconnectionDelay: 1, maxReconnectionDelay: 1 },
    // Drag-step flushes run only when the test calls `tick()`.
    clock,
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
    sockets: sockets.made,
    drawn: () => drawn,
    edit(changes: Change[], transient = false) {
      applyChanges(drawn, changes);
      client.send(changes, transient);
    },
    /** Runs the drag-step flush that is due. */
    tick: () => clock.advance(10_000),
    /** Resolves once the tab is live (its first connection, or a reconnect). */
    live: () => until(`${sub} live`, () => states.at(-1)?.kind === "live"),
  };
}

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
  await ann.live();
  await bob.live();
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
  await ann.live();
  await rev.live();
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
  await ann.live();
  await bob.live();
  ann.edit([{ type: "node.create", node: shot("s1") }]);
  ann.sockets.at(-1)!.drop();
  assert.equal(ann.states.at(-1)!.kind, "offline");
  ann.edit([{ type: "node.update", id: "s1", set: { title: "renamed offline" } }]);
  bob.edit([{ type: "node.create", node: upscale("u1") }]);
  assert.equal(bob.drawn().nodes.s1!.title, "s1");
  await ann.live(); // partysocket retried
  assert.equal(ann.states.at(-1)!.kind, "live");
  assert.equal(bob.drawn().nodes.s1!.title, "renamed offline");
  assert.deepEqual(ann.drawn(), bob.drawn(), "ann also caught up with bob's node");
  ann.client.stop();
  bob.client.stop();
  h.room.dispose();
});
