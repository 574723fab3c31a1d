import assert from "node:assert/strict";
import { CLOSE_CODES, type Peer, PROTOCOL_VERSION } from "../../../protocol/canvas.ts";
import type { Graph } from "../../../protocol/graph.ts";
import { FakeClock } from "../../../test/fakes/fake_clock.ts";
import { FakeWebSocket } from "../../../test/fakes/fake_websocket.ts";
import { until } from "../../../test/until.ts";
import { type ConnectionState, RoomClient, type RoomClientOptions } from "./room_client.ts";

const peer = (id: string): Peer => ({
  connectionId: `c-${id}`,
  userId: id,
  name: id,
  role: "editor",
  color: "#f80",
});
const shot = (id: string, x = 0) => ({ id, type: "upscale", title: id, x, y: 0, params: {} });
const graphWith = (...ids: string[]): Graph => ({
  nodes: Object.fromEntries(ids.map((id) => [id, shot(id)])),
  edges: {},
});

/** A client on fake sockets; partysocket waits `retryMs` before each retry (1 ms unless told). */
function setup(options: Partial<RoomClientOptions> = {}, retryMs = 1) {
  const sockets: FakeWebSocket[] = [];
  class Socket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const clock = new FakeClock();
  const log = {
    graphs: [] as Graph[],
    remote: [] as unknown[],
    rejected: [] as string[],
    refusedOps: [] as (string | null)[],
    states: [] as ConnectionState[],
    peers: [] as Peer[][],
    you: [] as (Peer | null)[],
  };
  const client = new RoomClient({
    ticket: () =>
      Promise.resolve({ ticket: "t.k", roomUrl: "ws://room.test/parties/main/p1", expiresAt: 0 }),
    socket: { WebSocket: Socket, minReconnectionDelay: retryMs, maxReconnectionDelay: retryMs },
    clock,
    random: () => 0.5,
    callbacks: {
      graph: (g) => log.graphs.push(g),
      remoteOps: (ops, _by, rebased) =>
        rebased ? log.graphs.push(rebased) : log.remote.push(...ops),
      rejected: (r, _code, op) => {
        log.rejected.push(r);
        log.refusedOps.push(op?.type ?? null);
      },
      connection: (s) => log.states.push(s),
      peers: (you, peers) => {
        log.you.push(you);
        log.peers.push(peers);
      },
      cursors: () => {},
      selections: () => {},
      job: () => {},
    },
    ...options,
  });
  return { client, sockets, clock, log };
}

/** Starts the client and brings it live on a room at `seq` holding `graph`. */
async function live(h: ReturnType<typeof setup>, graph: Graph, seq = 1) {
  h.client.start();
  await until("the first connection", () => h.sockets.length > 0);
  const socket = h.sockets.at(-1)!;
  socket.open();
  socket.receive({
    type: "welcome",
    protocol: PROTOCOL_VERSION,
    epoch: "e1",
    seq,
    you: peer("me"),
    peers: [peer("ann")],
  });
  socket.receive({ type: "state.snapshot", epoch: "e1", seq, graph });
  return socket;
}

Deno.test("connects with the ticket, says hello, and goes live with the snapshot and peers", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  assert.equal(socket.url, "ws://room.test/parties/main/p1?ticket=t.k");
  assert.deepEqual(socket.sent[0], { type: "hello", protocol: PROTOCOL_VERSION });
  assert.deepEqual(h.log.states.map((s) => s.kind), ["connecting", "live"]);
  assert.deepEqual(h.log.peers.at(-1)!.map((p) => p.name), ["ann"]);
  assert.deepEqual(Object.keys(h.log.graphs.at(-1)!.nodes), ["a"]);
  h.client.stop();
});

Deno.test("a rejected edit rolls the graph back and says why", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  h.client.send([{ type: "node.create", node: shot("b") }], false);
  const sent = socket.sent.at(-1)!;
  assert.equal(sent.type, "node.create");
  socket.receive({
    type: "reject",
    opId: sent.opId as string,
    code: "conflict",
    reason: "node id b is already used",
  });
  assert.deepEqual(h.log.rejected, ["node id b is already used"]);
  assert.deepEqual(h.log.refusedOps, ["node.create"], "the refused op is named");
  assert.deepEqual(Object.keys(h.log.graphs.at(-1)!.nodes), ["a"]);
  h.client.stop();
});

Deno.test("teammates' ops arrive in order; our own acked ops do not redraw", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  h.client.send([{ type: "node.update", id: "a", set: { x: 5 } }], false);
  const opId = socket.sent.at(-1)!.opId as string;
  socket.receive({ type: "ack", opId, seq: 2 });
  const graphsBefore = h.log.graphs.length;
  socket.receive({
    type: "state.update",
    seq: 3,
    opId: "x",
    by: "ann",
    op: { type: "node.delete", id: "a" },
  });
  assert.deepEqual(h.log.remote, [{ type: "node.delete", id: "a" }]);
  assert.equal(h.log.graphs.length, graphsBefore);
  assert.deepEqual(h.client.replica.confirmed.nodes, {});
  h.client.stop();
});

Deno.test("drag steps are coalesced per node; the drop supersedes them", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a", "b"));
  const before = socket.sent.length;
  for (const x of [1, 2, 3]) {
    h.client.send([{ type: "node.update", id: "a", set: { x, y: 0 } }], true);
  }
  h.client.send([{ type: "node.update", id: "b", set: { x: 9, y: 0 } }], true);
  assert.equal(socket.sent.length, before, "nothing is sent before the flush");
  await h.clock.advance(50);
  const moves = socket.sent.slice(before).map((m) => [m.id, (m.set as { x: number }).x]);
  assert.deepEqual(moves, [["a", 3], ["b", 9]]);
  h.client.send([{ type: "node.update", id: "a", set: { x: 4, y: 0 } }], true);
  h.client.send([{ type: "node.update", id: "a", set: { x: 5, y: 0 } }], false);
  assert.deepEqual(socket.sent.slice(before + 2).map((m) => (m.set as { x: number }).x), [5]);
  assert.equal(h.clock.pending, 0, "the flush timer is cleared by the drop");
  h.client.stop();
});

Deno.test("a drag of many nodes sends its steps less often, near 200 ops a second", async () => {
  const h = setup();
  const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
  const socket = await live(h, graphWith(...ids));
  const before = socket.sent.length;
  h.client.send(ids.map((id) => ({ type: "node.update", id, set: { x: 1, y: 0 } })), true);
  assert.deepEqual(h.clock.delays, [1500], "300 nodes: one step every 1.5 s");
  await h.clock.advance(1500);
  assert.equal(socket.sent.length - before, 300, "each node's latest step, once");
  h.client.send([{ type: "node.update", id: "n0", set: { x: 2, y: 0 } }], true);
  assert.deepEqual(h.clock.delays, [50], "one node: every 50 ms");
  h.client.stop();
});

Deno.test("after a drop it goes offline, keeps edits, and resumes from its last sequence number", async () => {
  const h = setup();
  const first = await live(h, graphWith("a"), 7);
  first.drop(1006);
  assert.equal(h.log.states.at(-1)!.kind, "offline");
  h.client.send([{ type: "node.update", id: "a", set: { title: "offline edit" } }], false);
  assert.equal(first.sent.filter((m) => m.type === "node.update").length, 0);
  await until("the retry", () => h.sockets.length === 2);
  const second = h.sockets[1]!;
  assert.equal(second.url, "ws://room.test/parties/main/p1?ticket=t.k");
  second.open();
  assert.deepEqual(second.sent[0], {
    type: "hello",
    protocol: PROTOCOL_VERSION,
    epoch: "e1",
    lastSeq: 7,
  });
  second.receive({
    type: "welcome",
    protocol: PROTOCOL_VERSION,
    epoch: "e1",
    seq: 7,
    you: peer("me"),
    peers: [],
  });
  assert.deepEqual(second.sent.slice(1).map((m) => [m.type, (m.set as { title: string }).title]), [[
    "node.update",
    "offline edit",
  ]]);
  assert.equal(h.log.states.at(-1)!.kind, "live");
  h.client.stop();
});

Deno.test("being removed from the project closes for good, without retrying", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  socket.drop(CLOSE_CODES.removed, "removed from the project");
  assert.deepEqual(h.log.states.at(-1), {
    kind: "closed",
    reason: "you no longer have access to this project",
  });
  await new Promise((r) => setTimeout(r, 30)); // many retry delays
  assert.equal(h.sockets.length, 1, "no new connection");
});

Deno.test("a gap in the sequence triggers a reconnect to catch up", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"), 1);
  socket.receive({
    type: "state.update",
    seq: 3,
    opId: "x",
    by: "ann",
    op: { type: "node.delete", id: "a" },
  });
  assert.equal(socket.closedBy?.code, 4001, "the socket is closed to resync");
  assert.deepEqual(h.log.remote, []);
  await until("the reconnect", () => h.sockets.length === 2);
  h.sockets[1]!.open();
  assert.deepEqual(h.sockets[1]!.sent[0], {
    type: "hello",
    protocol: PROTOCOL_VERSION,
    epoch: "e1",
    lastSeq: 1,
  });
  h.client.stop();
});

Deno.test("settled() waits until the room has answered every edit sent so far", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  await h.client.settled(); // nothing pending: at once
  h.client.send([{ type: "node.update", id: "a", set: { x: 5 } }], false);
  h.client.send([{ type: "node.create", node: shot("b") }], false);
  const [first, second] = socket.sent.slice(-2).map((m) => m.opId as string);
  let done = false;
  const settled = h.client.settled().then(() => done = true);
  socket.receive({ type: "ack", opId: first!, seq: 2 });
  await Promise.resolve();
  assert.equal(done, false, "one edit is still unanswered");
  h.client.send([{ type: "node.update", id: "a", set: { x: 6 } }], false); // later: not waited on
  socket.receive({ type: "reject", opId: second!, code: "conflict", reason: "taken" });
  await settled;
  assert.equal(done, true);
  h.client.stop();
});

Deno.test("settled() gives up when the room does not answer in time", async () => {
  const h = setup();
  await live(h, graphWith("a"));
  h.client.send([{ type: "node.update", id: "a", set: { x: 5 } }], false);
  const refused = assert.rejects(h.client.settled(1000), /not reached the room/);
  await h.clock.advance(1000);
  await refused;
  h.client.stop();
});

Deno.test("a role changed while connected updates this user and their teammates", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  socket.receive({ type: "user.updated", peer: { ...peer("me"), role: "reviewer" } });
  assert.equal(h.log.you.at(-1)?.role, "reviewer");
  socket.receive({ type: "user.updated", peer: { ...peer("ann"), role: "reviewer" } });
  assert.deepEqual(h.log.peers.at(-1)?.map((p) => [p.userId, p.role]), [["ann", "reviewer"]]);
  assert.equal(h.log.you.at(-1)?.role, "reviewer");
  h.client.stop();
});

Deno.test("too many open tabs closes for good, saying why", async () => {
  const h = setup();
  const socket = await live(h, graphWith("a"));
  socket.drop(CLOSE_CODES.tooManyConnections, "too many");
  const state = h.log.states.at(-1);
  assert.equal(state?.kind, "closed");
  assert.match(state?.kind === "closed" ? state.reason : "", /too many tabs/);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(h.sockets.length, 1, "no new connection");
});

Deno.test("a ticket that cannot be had says why and is asked for again; a refused one ends it", async () => {
  const answers: (number | null)[] = [503, null, 401];
  const h = setup({
    ticket: () => {
      const status = answers.shift();
      if (status === null) {
        return Promise.resolve({ ticket: "t.k", roomUrl: "ws://room.test/p1", expiresAt: 0 });
      }
      return Promise.reject(Object.assign(new Error(`edge said ${status}`), { status }));
    },
  });
  h.client.start();
  await until("the connection after a failed ticket request", () => h.sockets.length === 1);
  assert.ok(
    h.log.states.some((s) => s.kind === "offline" && /ticket: edge said 503/.test(s.reason)),
  );
  h.sockets[0]!.drop(1006);
  await until("the end", () => h.log.states.at(-1)?.kind === "closed");
  assert.deepEqual(h.log.states.at(-1), {
    kind: "closed",
    reason: "you no longer have access to this project",
  });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(h.sockets.length, 1, "no new connection");
});

Deno.test("retry now connects at once, without waiting out the back-off", async () => {
  const h = setup({}, 400);
  const first = await live(h, graphWith("a"));
  first.drop(1006);
  const asked = Date.now();
  h.client.reconnectNow();
  await until("the connection asked for", () => h.sockets.length === 2);
  assert.ok(Date.now() - asked < 300, "sooner than the back-off");
  h.client.stop();
  await new Promise((r) => setTimeout(r, 450)); // the abandoned back-off's timer runs out
});

Deno.test("a slow handshake (a cold room, a poor network) is waited for, not abandoned", async () => {
  const h = setup();
  h.client.start();
  await until("the connection", () => h.sockets.length === 1);
  await new Promise((r) => setTimeout(r, 4_500)); // past partysocket's default 4 s
  const socket = h.sockets[0]!;
  socket.open();
  socket.receive({
    type: "welcome",
    protocol: PROTOCOL_VERSION,
    epoch: "e1",
    seq: 0,
    you: peer("me"),
    peers: [],
  });
  assert.equal(h.log.states.at(-1)?.kind, "live");
  assert.equal(h.sockets.length, 1, "the handshake was not given up and started again");
  h.client.stop();
});
