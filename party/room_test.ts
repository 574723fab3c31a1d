import assert from "node:assert/strict";
import {
  CLOSE_CODES,
  MAX_MESSAGE_CHARS,
  MAX_SOCKETS_PER_USER,
  parseEdgeEvent,
} from "../protocol/canvas.ts";
import { linkSubject } from "../protocol/room_ticket.ts";
import { FakeClock } from "../test/fakes/fake_clock.ts";
import { MemoryStorage } from "./memory_storage.ts";
import { CanvasRoom } from "./room.ts";
import {
  FakeEdge,
  FakeSocket,
  makeRoom,
  shotNode,
  ticket,
  TICKET_IAT,
} from "../test/rooms/room_harness.ts";

Deno.test("an accepted edit is acked to its sender and reaches every other client with the same seq", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.deepEqual(ada.of("ack"), [{ type: "ack", opId: "o1", seq: 1 }]);
  assert.deepEqual(bob.of("state.update").map((m) => [m.seq, m.opId, m.by, m.op.type]), [[
    1,
    "o1",
    "ada",
    "node.create",
  ]]);
  assert.equal(h.room.graph?.nodes.n1?.title, "Shot n1");
  h.room.dispose();
});

Deno.test("a rejected edit says why, changes nothing and is not relayed", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  h.send(ada, { type: "node.update", opId: "o1", id: "ghost", set: { x: 1 } });
  assert.deepEqual(ada.of("reject"), [
    {
      type: "reject",
      opId: "o1",
      code: "not_found",
      field: "id",
      reason: "node ghost does not exist",
    },
  ]);
  assert.equal(bob.received.length, 0);
  assert.equal(h.room.seq, 0);
  h.room.dispose();
});

Deno.test("invalid, oversized and pre-hello messages are rejected with the field named", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: { ...shotNode("n1"), x: "left" } });
  h.room.message(ada.id, "not json");
  h.room.message(
    ada.id,
    JSON.stringify({ type: "cursor.move", x: 1, y: 2, pad: "x".repeat(MAX_MESSAGE_CHARS) }),
  );
  const rejects = ada.of("reject");
  assert.deepEqual(rejects.map((r) => [r.opId, r.code, r.field]), [
    ["o1", "invalid", "node.x"],
    [null, "invalid", "(message)"],
    [null, "too_large", "(message)"],
  ]);
  const fresh = new FakeSocket("fresh");
  h.room.connect(fresh, ticket("cy"));
  h.send(fresh, { type: "node.delete", opId: "o2", id: "n1" });
  assert.equal(fresh.of("reject")[0]?.code, "not_ready");
  assert.equal(h.room.seq, 0);
  h.room.dispose();
});

Deno.test("parameter values the node's schema refuses are rejected naming the field; a node without its prompt may be made", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  const fresh = { ...shotNode("n1"), params: { steps: 20 } };
  h.send(ada, { type: "node.create", opId: "o1", node: fresh });
  h.send(ada, { type: "node.update", opId: "o2", id: "n1", set: { params: { steps: 2.5 } } });
  h.send(ada, {
    type: "node.update",
    opId: "o3",
    id: "n1",
    set: { params: { cfg: 99, seed: 99999999999, width: 1004, prompt: "a door" } },
  });
  h.send(ada, {
    type: "node.create",
    opId: "o4",
    node: { ...shotNode("n2"), params: { prompt: "x".repeat(4001), colour: "red" } },
  });
  assert.deepEqual(ada.of("ack").map((a) => a.opId), ["o1"]);
  assert.deepEqual(ada.of("reject").map((r) => [r.opId, r.code, r.field, r.reason]), [
    ["o2", "invalid", "set.params.steps", "Steps: a whole number from 1 to 150"],
    [
      "o3",
      "invalid",
      "set.params.seed",
      "Seed: a whole number from 0 to 4,294,967,295; CFG: a number from 0 to 30; " +
      "Width: a multiple of 8 from 64 to 4,096",
    ],
    [
      "o4",
      "invalid",
      "node.params.prompt",
      "Prompt: up to 4,000 characters; colour: Shot nodes have no such parameter",
    ],
  ]);
  assert.deepEqual(h.room.graph?.nodes.n1?.params, { steps: 20 }, "nothing of o3 was stored");
  assert.equal(bob.of("state.update").length, 1, "only the valid create reached Bob");
  h.room.dispose();
});

Deno.test("reviewers move cursors and select but cannot change the graph", async () => {
  const h = await makeRoom();
  const [rev, ada] = [h.join("rev", "reviewer"), h.join("ada")];
  h.send(rev, { type: "node.create", opId: "o1", node: shotNode("n1") });
  h.send(rev, { type: "generate.start", opId: "o2", nodeId: "n1" });
  assert.deepEqual(rev.of("reject").map((r) => r.code), ["forbidden", "forbidden"]);
  h.send(rev, { type: "cursor.move", x: 5, y: 6 });
  h.send(rev, { type: "selection.change", nodeIds: ["n1"] });
  await h.clock.advance(50);
  assert.deepEqual(ada.of("cursor.update")[0]?.cursors, [{ connectionId: rev.id, x: 5, y: 6 }]);
  assert.deepEqual(ada.of("selection.update")[0]?.selections, [{
    connectionId: rev.id,
    nodeIds: ["n1"],
  }]);
  assert.equal(h.room.seq, 0);
  h.room.dispose();
});

Deno.test("generate.start from an editor points to the edge's HTTP route", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "generate.start", opId: "g", nodeId: "n1" });
  const reject = ada.of("reject")[0];
  assert.equal(reject?.code, "use_http");
  assert.match(reject?.reason ?? "", /POST \/api\/projects\/p1\/nodes\/n1\/generate/);
  h.room.dispose();
});

Deno.test("cursor moves are coalesced to one update per connection per tick", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  for (let i = 0; i < 20; i++) h.send(ada, { type: "cursor.move", x: i, y: i });
  await h.clock.advance(33);
  for (let i = 0; i < 20; i++) h.send(ada, { type: "cursor.move", x: 100 + i, y: 0 });
  await h.clock.advance(33);
  assert.deepEqual(bob.of("cursor.update").map((m) => m.cursors), [
    [{ connectionId: ada.id, x: 19, y: 19 }],
    [{ connectionId: ada.id, x: 119, y: 0 }],
  ]);
  h.room.dispose();
});

Deno.test("join and leave are announced with name and colour", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  const bob = h.join("bob");
  const joined = ada.of("user.joined")[0]?.peer;
  assert.equal(joined?.name, "BOB");
  assert.match(joined?.color ?? "", /^hsl\(/);
  h.room.disconnect(bob.id);
  assert.deepEqual(ada.of("user.left"), [{
    type: "user.left",
    connectionId: bob.id,
    userId: "bob",
  }]);
  h.room.dispose();
});

Deno.test("a reconnecting client gets exactly the ops it missed, or a snapshot when too far behind", async () => {
  const h = await makeRoom({ logLimit: 3 });
  const ada = h.join("ada");
  for (let i = 1; i <= 5; i++) {
    h.send(ada, { type: "node.create", opId: `o${i}`, node: shotNode(`n${i}`) });
  }
  const epoch = h.room.graph && (await h.storage.get<{ epoch: string }>("meta"))?.epoch;
  const back = new FakeSocket("back");
  h.room.connect(back, ticket("bob"));
  h.send(back, { type: "hello", protocol: 2, epoch, lastSeq: 3 });
  assert.deepEqual(back.received.map((m) => m.type === "state.update" ? m.seq : m.type), [
    "welcome",
    4,
    5,
  ]);
  const far = new FakeSocket("far");
  h.room.connect(far, ticket("cy"));
  h.send(far, { type: "hello", protocol: 2, epoch, lastSeq: 1 });
  const snapshot = far.of("state.snapshot")[0];
  assert.equal(snapshot?.seq, 5);
  assert.deepEqual(Object.keys(snapshot?.graph.nodes ?? {}).sort(), ["n1", "n2", "n3", "n4", "n5"]);
  h.room.dispose();
});

Deno.test("an op resent after a reconnect is acked with its first seq, not applied twice", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.deepEqual(ada.of("ack").map((a) => a.seq), [1, 1]);
  assert.equal(h.room.seq, 1);
  h.room.dispose();
});

Deno.test("an old protocol version gets an incompatibility reply and is closed", async () => {
  const h = await makeRoom();
  const old = new FakeSocket("old");
  h.room.connect(old, ticket("ada"));
  h.send(old, { type: "hello", protocol: 0 });
  assert.equal(old.received[0]?.type, "incompatible");
  assert.equal(old.closed?.code, CLOSE_CODES.incompatible);
  h.room.dispose();
});

Deno.test("a removed member is disconnected and their older tickets are refused", async () => {
  const h = await makeRoom();
  const [bob, ada] = [h.join("bob"), h.join("ada")];
  await h.room.edgeEvent({ type: "access.changed", subject: "bob", role: null, at: TICKET_IAT });
  assert.equal(bob.closed?.code, CLOSE_CODES.removed);
  assert.deepEqual(ada.of("user.left").map((m) => m.userId), ["bob"]);
  // A frame still in flight from the closed socket changes nothing.
  h.send(bob, { type: "node.create", opId: "late", node: shotNode("n1") });
  assert.equal(h.room.seq, 0);
  const again = new FakeSocket("again");
  assert.equal(h.room.connect(again, ticket("bob")), false);
  assert.equal(again.closed?.code, CLOSE_CODES.removed);
  // Added back later: a ticket issued after the removal joins.
  const back = new FakeSocket("back");
  assert.equal(h.room.connect(back, ticket("bob", "editor", "p1", { iat: TICKET_IAT + 1 })), true);
  h.room.dispose();
});

Deno.test("a role change applies to open sockets at once and is announced", async () => {
  const h = await makeRoom();
  const [cy, ada] = [h.join("cy"), h.join("ada")];
  h.send(cy, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.equal(cy.of("ack").length, 1);
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "cy",
    role: "reviewer",
    at: TICKET_IAT + 10,
  });
  for (const c of [cy, ada]) {
    assert.deepEqual(c.of("user.updated").map((m) => [m.peer.userId, m.peer.role]), [[
      "cy",
      "reviewer",
    ]]);
  }
  h.send(cy, { type: "node.update", opId: "o2", id: "n1", set: { x: 5 } });
  h.send(cy, { type: "node.create", opId: "o3", node: shotNode("n2") });
  assert.deepEqual(cy.of("reject").map((r) => [r.opId, r.code]), [["o2", "forbidden"], [
    "o3",
    "forbidden",
  ]]);
  assert.equal(h.room.seq, 1);
  // Promoted again: the same socket edits.
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "cy",
    role: "editor",
    at: TICKET_IAT + 20,
  });
  assert.equal(cy.of("user.updated").at(-1)?.peer.role, "editor");
  h.send(cy, { type: "node.update", opId: "o4", id: "n1", set: { x: 6 } });
  assert.deepEqual(cy.of("ack").map((a) => a.opId), ["o1", "o4"]);
  h.room.dispose();
});

Deno.test("someone joining the project tells open members panels to reload, not guests", async () => {
  const h = await makeRoom();
  const ada = h.join("ada", "owner");
  const guest = h.join("guest:s1", "reviewer", { link: "l1" });
  // Ben accepted an invitation: he has no socket here yet, but Ada's panel lists members.
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "ben",
    role: "editor",
    at: TICKET_IAT,
  });
  assert.equal(ada.of("members.changed").length, 1);
  assert.equal(guest.of("members.changed").length, 0, "share-link guests see no member list");
  // An invitation declined changes no one's access; the edge says so in its own words.
  await h.room.edgeEvent({ type: "members.changed" });
  assert.equal(ada.of("members.changed").length, 2);
  assert.equal(guest.of("members.changed").length, 0);
  h.room.dispose();
});

Deno.test("a ticket issued before a role change carries the new role; one issued after, its own", async () => {
  const h = await makeRoom();
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "cy",
    role: "reviewer",
    at: TICKET_IAT + 10,
  });
  const old = h.join("cy", "editor");
  h.send(old, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.equal(old.of("reject")[0]?.code, "forbidden");
  const fresh = h.join("cy", "editor", { iat: TICKET_IAT + 11 });
  h.send(fresh, { type: "node.create", opId: "o2", node: shotNode("n1") });
  assert.equal(fresh.of("ack").length, 1);
  // The record survives a restart of the room on the same storage.
  h.room.dispose();
  const again = await makeRoom({ storage: h.storage, edge: h.edge });
  const late = new FakeSocket("late");
  again.room.connect(late, ticket("cy", "editor"));
  again.send(late, { type: "hello", protocol: 2 });
  assert.equal(late.of("welcome")[0]?.you.role, "reviewer");
  again.room.dispose();
});

Deno.test("an access change older than what a socket rests on changes nothing", async () => {
  const h = await makeRoom();
  // Demoted at +10, promoted at +20; the demotion's event arrives last (another edge thread).
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "cy",
    role: "editor",
    at: TICKET_IAT + 20,
  });
  const cy = h.join("cy", "editor", { iat: TICKET_IAT + 30 });
  await h.room.edgeEvent({
    type: "access.changed",
    subject: "cy",
    role: "reviewer",
    at: TICKET_IAT + 10,
  });
  assert.equal(cy.of("user.updated").length, 0);
  h.send(cy, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.equal(cy.of("ack").length, 1);
  const old = h.join("cy", "editor");
  assert.equal(h.room.peers.find((p) => p.connectionId === old.id)?.role, "editor");
  h.room.dispose();
});

Deno.test("revoking a share link closes its guests' sockets and refuses their older tickets", async () => {
  const h = await makeRoom();
  const guest = h.join("guest:s1", "reviewer", { link: "l1" });
  const other = h.join("guest:s2", "reviewer", { link: "l2" });
  const ada = h.join("ada");
  await h.room.edgeEvent({
    type: "access.changed",
    subject: linkSubject("l1"),
    role: null,
    at: TICKET_IAT + 5,
  });
  assert.deepEqual(guest.closed, {
    code: CLOSE_CODES.removed,
    reason: "the share link was revoked",
  });
  assert.equal(other.closed, null);
  assert.equal(ada.closed, null);
  const again = new FakeSocket("again");
  assert.equal(
    h.room.connect(again, ticket("guest:s3", "reviewer", "p1", { link: "l1" })),
    false,
  );
  assert.equal(again.closed?.code, CLOSE_CODES.removed);
  h.room.dispose();
});

Deno.test("guests get the take's guest URL; members never see it (new takes and late posters)", async () => {
  for (const type of ["generation.complete", "take.described"] as const) {
    const h = await makeRoom();
    const [ada, guest] = [h.join("ada"), h.join("guest:s1", "reviewer", { link: "l1" })];
    await h.room.edgeEvent({
      type,
      nodeId: "n1",
      taskId: "t1",
      take: { id: "k1", url: "/member-url" },
      guestUrl: "/guest-url",
    });
    assert.deepEqual(ada.of(type), [{
      type,
      nodeId: "n1",
      taskId: "t1",
      take: { id: "k1", url: "/member-url" },
    }]);
    assert.deepEqual(guest.of(type), [{
      type,
      nodeId: "n1",
      taskId: "t1",
      take: { id: "k1", url: "/guest-url" },
    }]);
    h.room.dispose();
  }
});

Deno.test("a take selected reaches everyone in the room, reviewers and guests too", async () => {
  const h = await makeRoom();
  const people = [
    h.join("ada"),
    h.join("cleo", "reviewer"),
    h.join("guest:s1", "reviewer", { link: "l1" }),
  ];
  const body = {
    type: "take.selected",
    nodeId: "n1",
    takeId: "k1",
    by: { userId: "ben", name: "Ben" },
    at: 5,
  };
  // As party/main.ts reads what the edge posts.
  const parsed = parseEdgeEvent(JSON.stringify(body));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.deepEqual(await h.room.edgeEvent(parsed.value), { ok: true });
  for (const socket of people) assert.deepEqual(socket.of("take.selected"), [body]);
  h.room.dispose();
});

Deno.test("a review update (new comment) reaches everyone in the room, guests too; a malformed one is refused", async () => {
  const h = await makeRoom();
  const people = [
    h.join("ada"),
    h.join("cleo", "reviewer"),
    h.join("guest:s1", "reviewer", { link: "l1" }),
  ];
  const body = {
    type: "review.update",
    change: "comment.created",
    comment: {
      id: "c1",
      parentId: null,
      body: "<script>alert(1)</script>",
      author: { name: "Cleo" },
    },
  };
  const parsed = parseEdgeEvent(JSON.stringify(body));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.deepEqual(await h.room.edgeEvent(parsed.value), { ok: true });
  for (const socket of people) assert.deepEqual(socket.of("review.update"), [body]);
  assert.equal(parseEdgeEvent(JSON.stringify({ ...body, change: "comment.liked" })).ok, false);
  h.room.dispose();
});

Deno.test("one person's sockets in a room are bounded; others are not affected", async () => {
  const h = await makeRoom();
  const mine = Array.from({ length: MAX_SOCKETS_PER_USER }, () => h.join("ada"));
  assert.ok(mine.every((s) => s.closed === null));
  const extra = new FakeSocket("extra");
  assert.equal(h.room.connect(extra, ticket("ada")), false);
  assert.equal(extra.closed?.code, CLOSE_CODES.tooManyConnections);
  const bob = new FakeSocket("bob");
  assert.equal(h.room.connect(bob, ticket("bob")), true);
  h.room.disconnect(mine[0]!.id);
  assert.equal(h.room.connect(new FakeSocket("again"), ticket("ada")), true);
  h.room.dispose();
});

Deno.test("job events reach every live client, including reviewers", async () => {
  const h = await makeRoom();
  const clients = [h.join("ada"), h.join("rev", "reviewer")];
  const event = {
    type: "progress.update",
    nodeId: "n1",
    taskId: "t1",
    percent: 40,
    message: "sampling",
  } as const;
  await h.room.edgeEvent(event);
  for (const c of clients) assert.deepEqual(c.of("progress.update"), [event]);
  h.room.dispose();
});

Deno.test("graph.flush stores unflushed edits at once and answers the revision that holds them", async () => {
  const h = await makeRoom();
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.flush" }), { revision: 3 }); // as loaded
  assert.equal(h.edge.flushes.length, 0);
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.flush" }), { revision: 101 });
  assert.deepEqual(Object.keys(h.edge.flushes[0]?.graph.nodes ?? {}), ["n1"]);
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.flush" }), { revision: 101 });
  assert.equal(h.edge.flushes.length, 1, "nothing new, nothing stored");
  h.room.dispose();
});

Deno.test("graph.flush during a flush in flight answers a revision with the ops made meanwhile", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  let release!: () => void;
  h.edge.gate = new Promise((r) => release = r);
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  await h.clock.advance(1000); // the quiet flush starts and waits at the edge
  h.send(ada, { type: "node.create", opId: "o2", node: shotNode("n2") });
  const answer = h.room.edgeEvent({ type: "graph.flush" });
  release();
  assert.deepEqual(await answer, { revision: 102 });
  assert.deepEqual(h.edge.flushes.map((f) => Object.keys(f.graph.nodes)), [["n1"], ["n1", "n2"]]);
  h.room.dispose();
});

Deno.test("graph.revert keeps unflushed edits as a revision, then stores the old graph and sends a snapshot", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  const old = { nodes: { r: shotNode("r") }, edges: {} };
  h.edge.revisions[2] = old;
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.revert", revision: 2, authorId: "bob" }), {
    revision: 102,
  });
  assert.deepEqual(h.edge.flushes.map((f) => Object.keys(f.graph.nodes)), [["n1"], ["r"]]);
  assert.match(h.edge.flushes[0]!.message, /before a revert/);
  assert.deepEqual(h.edge.flushes[0]?.authorIds, ["ada"]);
  assert.equal(h.edge.flushes[1]?.message, "Revert to revision 2");
  assert.deepEqual(h.edge.flushes[1]?.authorIds, ["bob"]);
  const snapshot = ada.of("state.snapshot")[0];
  assert.deepEqual(snapshot?.graph, old);
  assert.deepEqual(h.room.graph, old);
  assert.equal(await h.storage.get("node:n1"), undefined);
  await h.clock.advance(5000);
  assert.equal(h.edge.flushes.length, 2, "the revert is not stored again by the flusher");
  h.room.dispose();
});

Deno.test("a flush in flight when a revert comes lands before it, and later edits after it", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.edge.revisions[1] = { nodes: {}, edges: {} };
  let release!: () => void;
  h.edge.gate = new Promise((r) => release = r);
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  await h.clock.advance(1000); // the quiet flush of n1 waits at the edge
  const reverted = h.room.edgeEvent({ type: "graph.revert", revision: 1, authorId: "ada" });
  await h.clock.advance(0);
  h.send(ada, { type: "node.create", opId: "o2", node: shotNode("n2") });
  release();
  assert.deepEqual(await reverted, { revision: 102 });
  await h.clock.advance(1000);
  assert.deepEqual(h.edge.flushes.map((f) => Object.keys(f.graph.nodes)), [["n1"], [], ["n2"]]);
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.flush" }), { revision: 103 });
  h.room.dispose();
});

Deno.test("a room restarted on the same storage has every accepted change", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  h.send(ada, { type: "node.create", opId: "o2", node: shotNode("n2") });
  h.send(ada, { type: "node.update", opId: "o3", id: "n1", set: { x: 42 } });
  h.send(ada, { type: "node.delete", opId: "o4", id: "n2" });
  await h.clock.advance(0);
  h.room.dispose();
  const restarted = await makeRoom({ storage: h.storage, edge: new FakeEdge(null) });
  assert.equal(restarted.room.seq, 4);
  assert.deepEqual(Object.keys(restarted.room.graph?.nodes ?? {}), ["n1"]);
  assert.equal(restarted.room.graph?.nodes.n1?.x, 42);
  const bob = restarted.join("bob");
  restarted.send(bob, { type: "node.update", opId: "o5", id: "n2", set: { x: 1 } });
  assert.equal(bob.of("reject")[0]?.code, "conflict"); // still known as deleted
  restarted.room.dispose();
});

Deno.test("the room loads the edge's revision when its storage is empty; an unknown project refuses sockets", async () => {
  const graph = { nodes: { n9: shotNode("n9") }, edges: {} };
  const h = await makeRoom({ edge: new FakeEdge({ revision: 7, graph }) });
  assert.deepEqual(h.room.graph, graph);
  h.room.dispose();
  const unknown = await makeRoom({ edge: new FakeEdge(null) });
  const socket = new FakeSocket("s");
  assert.equal(unknown.room.connect(socket, ticket("ada")), false);
  assert.equal(socket.closed?.code, CLOSE_CODES.unknownProject);
  unknown.room.dispose();
});

Deno.test("changes are flushed to the edge once they stop, and retried while the edge is down", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  await h.clock.advance(500);
  h.send(ada, { type: "node.update", opId: "o2", id: "n1", set: { x: 3 } });
  await h.clock.advance(500);
  assert.equal(h.edge.flushes.length, 0); // still editing
  await h.clock.advance(1500);
  assert.equal(h.edge.flushes.length, 1);
  assert.equal(h.edge.flushes[0]?.graph.nodes.n1?.x, 3);
  assert.deepEqual(h.edge.flushes[0]?.authorIds, ["ada"]);
  h.edge.down = true;
  h.send(ada, { type: "node.update", opId: "o3", id: "n1", set: { x: 4 } });
  await h.clock.advance(10_000);
  assert.equal(h.edge.flushes.length, 1);
  h.edge.down = false;
  await h.clock.advance(60_000);
  assert.equal(h.edge.flushes.length, 2);
  assert.equal(h.edge.flushes[1]?.graph.nodes.n1?.x, 4);
  h.room.dispose();
});

Deno.test("the last user leaving flushes at once", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  h.room.disconnect(ada.id);
  await h.clock.advance(0);
  assert.equal(h.edge.flushes.length, 1);
  h.room.dispose();
});

Deno.test("a room whose edge is unreachable at start refuses sockets with a retryable code", async () => {
  const edge = new FakeEdge();
  edge.down = true;
  const room = new CanvasRoom("p1", {
    storage: new MemoryStorage(),
    edge,
    clock: new FakeClock(),
  });
  await assert.rejects(room.load());
  const socket = new FakeSocket("s");
  assert.equal(room.connect(socket, ticket("ada")), false);
  assert.equal(socket.closed?.code, CLOSE_CODES.unavailable);
  edge.down = false;
  assert.equal(await room.load(), "ready");
  room.dispose();
});

Deno.test("connections arriving while the room loads share one load and one epoch", async () => {
  const edge = new FakeEdge();
  const room = new CanvasRoom("p1", {
    storage: new MemoryStorage(),
    edge,
    clock: new FakeClock(),
  });
  const results = await Promise.all([room.load(), room.load(), room.load()]);
  assert.deepEqual(results, ["ready", "ready", "ready"]);
  assert.equal(edge.loads, 1);
  room.dispose();
});

Deno.test("ops arriving in one turn are stored at once and heard of only after the turn", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  ada.received = [];
  const puts: string[][] = [];
  const put = h.storage.put.bind(h.storage);
  h.storage.put = (entries) => {
    puts.push(Object.keys(entries).sort());
    return put(entries);
  };
  h.room.message(ada.id, JSON.stringify({ type: "node.create", opId: "o1", node: shotNode("n1") }));
  h.room.message(bob.id, JSON.stringify({ type: "node.create", opId: "o2", node: shotNode("n2") }));
  assert.deepEqual(puts, [["meta", "node:n1"], ["meta", "node:n2"]]);
  assert.deepEqual([ada.received, bob.received], [[], []]);
  h.clock.fireDue();
  assert.deepEqual(ada.received.map((m) => m.type), ["ack", "state.update"]);
  assert.deepEqual(bob.received.map((m) => m.type), ["state.update", "ack"]);
  h.room.dispose();
});

Deno.test("a socket that fails to send does not keep the others from hearing of an edit", async () => {
  const h = await makeRoom();
  const [ada, broken, bob] = [h.join("ada"), h.join("broken"), h.join("bob")];
  broken.send = () => {
    throw new Error("send after close");
  };
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  assert.equal(bob.of("state.update")[0]?.opId, "o1");
  assert.equal(ada.of("ack")[0]?.seq, 1);
  h.room.dispose();
});

Deno.test("a deleted node comes back under its own id only when restored, and stays back after a restart", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "o1", node: shotNode("n1") });
  h.send(ada, { type: "node.delete", opId: "o2", id: "n1" });
  h.send(ada, { type: "node.create", opId: "o3", node: shotNode("n1") });
  assert.equal(ada.of("reject")[0]?.code, "conflict", "a plain create of a deleted id is refused");
  h.send(ada, { type: "node.create", opId: "o4", node: shotNode("n1"), restore: true });
  assert.deepEqual(ada.of("ack").map((a) => a.opId), ["o1", "o2", "o4"]);
  assert.deepEqual(h.room.graph?.nodes.n1, shotNode("n1"));
  await h.clock.advance(0);
  assert.equal(await h.storage.get("tomb:n1"), undefined, "its tombstone is gone");
  h.room.dispose();
  const restarted = await makeRoom({ storage: h.storage, edge: new FakeEdge(null) });
  assert.deepEqual(restarted.room.graph?.nodes.n1, shotNode("n1"));
  restarted.room.dispose();
});
