/**
 * Values nested too deep or grown too large never enter a room's graph, and a room whose stored
 * graph predates these rules still opens.
 */
import assert from "node:assert/strict";
import { graphSchema, MAX_GRAPH_BYTES } from "../protocol/graph.ts";
import { FakeEdge, makeRoom, shotNode } from "../test/rooms/room_harness.ts";
import { MemoryStorage } from "./memory_storage.ts";

/** A node.create frame whose params hold `levels` nested arrays, built as text (as it arrives). */
function deepCreate(opId: string, id: string, levels: number): string {
  const params = `{"d":${"[".repeat(levels)}1${"]".repeat(levels)}}`;
  return JSON.stringify({ type: "node.create", opId, node: { ...shotNode(id), params: "P" } })
    .replace('"P"', params);
}

Deno.test("node params nested past the limit are rejected naming the field, at any depth", async () => {
  const h = await makeRoom();
  const [ada, bob] = [h.join("ada"), h.join("bob")];
  for (const [opId, levels] of [["o1", 40], ["o2", 1000], ["o3", 10_000]] as const) {
    h.room.message(ada.id, deepCreate(opId, opId, levels));
  }
  h.send(ada, { type: "node.create", opId: "o4", node: shotNode("n4") });
  const deep = JSON.parse(`[${"[".repeat(40)}${"]".repeat(40)}]`);
  h.send(ada, { type: "node.update", opId: "o5", id: "n4", set: { params: { d: deep } } });
  assert.deepEqual(
    ada.received.filter((m) => m.type === "ack" || m.type === "reject").map((m) =>
      m.type === "reject" ? [m.opId, m.code, m.field] : [m.opId, "ack"]
    ),
    [
      ["o1", "invalid", "node.params"],
      ["o2", "invalid", "node.params"],
      ["o3", "invalid", "node.params"],
      ["o4", "ack"],
      ["o5", "invalid", "set.params"],
    ],
  );
  assert.match(ada.of("reject")[2]!.reason, /nested deeper than 32 levels/);
  assert.deepEqual(Object.keys(h.room.graph!.nodes), ["n4"]);
  assert.deepEqual(h.room.graph!.nodes.n4!.params, { prompt: "a door" });
  assert.deepEqual(bob.of("state.update").map((m) => m.opId), ["o4"]);
  h.room.dispose();
});

Deno.test("params that many updates would grow past the size limit are refused", async () => {
  // Valid values cannot add up past the limit any more (param_rules.ts bounds each one), but a
  // node kept from before those rules can hold more: one such node is stored, then updated.
  const storage = new MemoryStorage();
  const first = await makeRoom({ storage });
  first.send(first.join("ada"), { type: "node.create", opId: "o1", node: shotNode("n1") });
  first.room.dispose();
  const stored = storage.data.get("node:n1") as { params: Record<string, unknown> };
  stored.params = { prompt: "a door", legacy: "x".repeat(61_000) };

  const h = await makeRoom({ storage });
  const ada = h.join("ada");
  const part = "x".repeat(3_000);
  h.send(ada, { type: "node.update", opId: "o2", id: "n1", set: { params: { prompt: part } } });
  h.send(ada, {
    type: "node.update",
    opId: "o3",
    id: "n1",
    set: { params: { negativePrompt: part }, x: 9 },
  });
  h.send(ada, {
    type: "node.update",
    opId: "o4",
    id: "n1",
    set: { params: { legacy: null, negativePrompt: part } },
  });
  assert.deepEqual(ada.of("ack").map((m) => m.opId), ["o2", "o4"]);
  const reject = ada.of("reject")[0]!;
  assert.deepEqual([reject.opId, reject.code, reject.field], ["o3", "too_large", "set.params"]);
  assert.match(reject.reason, /over 65536 characters/);
  const node = h.room.graph!.nodes.n1!;
  assert.deepEqual([Object.keys(node.params), node.x], [["prompt", "negativePrompt"], 0]);
  h.room.dispose();
});

Deno.test("a room stored before the limits opens without the nodes that break them", async () => {
  const storage = new MemoryStorage();
  const edge = new FakeEdge();
  const first = await makeRoom({ storage, edge });
  const ada = first.join("ada");
  const upscale = { ...shotNode("good"), type: "upscale", params: {} };
  first.send(ada, { type: "node.create", opId: "o1", node: upscale });
  first.send(ada, { type: "node.create", opId: "o2", node: shotNode("bad") });
  first.send(ada, {
    type: "edge.create",
    opId: "o3",
    edge: {
      id: "e1",
      from: { node: "bad", socket: "video" },
      to: { node: "good", socket: "video" },
    },
  });
  first.room.dispose();
  // What an older room kept: params 1,000 deep, then SQLite could not read the flushed graph.
  const stored = storage.data.get("node:bad") as { params: unknown };
  stored.params = { d: JSON.parse("[".repeat(1000) + "]".repeat(1000)) };
  assert.ok(storage.data.has("edge:e1"), "the edge was stored");

  const reopened = await makeRoom({ storage, edge });
  const graph = reopened.room.graph!;
  assert.deepEqual(Object.keys(graph.nodes), ["good"]);
  assert.deepEqual(graph.edges, {}, "an edge that lost an end goes with the node");
  assert.ok(graphSchema.safeParse(graph).success, "what the room holds, the edge accepts");
  const bob = reopened.join("bob");
  reopened.send(bob, { type: "node.update", opId: "b1", id: "good", set: { x: 5 } });
  assert.equal(bob.of("ack")[0]?.opId, "b1");
  reopened.room.dispose();
});

Deno.test("a graph is kept under what the edge takes as one revision", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  // The largest params a shot takes (param_rules.ts), then half of that, so what is left of the
  // budget at the end is less than the half a node can still grow by.
  const full = { prompt: "x".repeat(4000), negativePrompt: "n".repeat(4000) };
  const half = { prompt: "x".repeat(4000) };
  h.send(ada, { type: "node.create", opId: "small", node: shotNode("small") });
  let n = 0;
  for (const params of [full, half]) {
    const refused = ada.of("reject").length;
    while (ada.of("reject").length === refused) {
      n++;
      h.send(ada, { type: "node.create", opId: `o${n}`, node: { ...shotNode(`n${n}`), params } });
      assert.ok(n < 3000, "refused at some point");
    }
  }
  const reject = ada.of("reject")[1]!;
  assert.deepEqual([reject.opId, reject.code], [`o${n}`, "too_large"]);
  assert.match(reject.reason, /graph would be over/);
  const bytes = () => new TextEncoder().encode(JSON.stringify(h.room.graph)).byteLength;
  assert.ok(bytes() <= MAX_GRAPH_BYTES, `${bytes()} bytes fit in a revision`);
  assert.ok(bytes() > MAX_GRAPH_BYTES - 64 * 1024 - 2 * 4_200, "and the budget was used");
  assert.equal(h.room.graph!.nodes[`n${n}`], undefined, "the refused node is not kept");

  // Growing a node's params is refused too, and leaves it as it was; deleting makes room.
  const grow = { params: { negativePrompt: "y".repeat(4000) }, x: 5 };
  h.send(ada, { type: "node.update", opId: "grow", id: "small", set: grow });
  const refused = ada.of("reject")[2];
  assert.deepEqual([refused?.opId, refused?.code], ["grow", "too_large"]);
  assert.match(refused!.reason, /graph would be over/);
  const small = h.room.graph!.nodes.small!;
  assert.deepEqual([small.params, small.x], [shotNode("small").params, 0]);
  h.send(ada, { type: "node.update", opId: "move", id: "small", set: { x: 5 } });
  h.send(ada, { type: "node.delete", opId: "del", id: "n2" });
  h.send(ada, { type: "node.create", opId: "again", node: { ...shotNode("again"), params: full } });
  assert.deepEqual(ada.of("ack").slice(-3).map((m) => m.opId), ["move", "del", "again"]);
  h.room.dispose();
});

Deno.test("a restore refused for size leaves the node deleted: a plain create cannot take its id", async () => {
  const h = await makeRoom();
  const ada = h.join("ada");
  // The largest params a shot takes (param_rules.ts).
  const params = { prompt: "x".repeat(4000), negativePrompt: "n".repeat(4000) };
  h.send(ada, { type: "node.create", opId: "c", node: { ...shotNode("gone"), params } });
  h.send(ada, { type: "node.delete", opId: "d", id: "gone" });
  for (let n = 1; ada.of("reject").length === 0; n++) {
    h.send(ada, { type: "node.create", opId: `o${n}`, node: { ...shotNode(`n${n}`), params } });
    assert.ok(n < 3000, "refused at some point");
  }
  const restore = { ...shotNode("gone"), params };
  h.send(ada, { type: "node.create", opId: "restore", node: restore, restore: true });
  h.send(ada, { type: "node.create", opId: "plain", node: shotNode("gone") });
  assert.deepEqual(ada.of("reject").slice(1).map((m) => [m.opId, m.code]), [
    ["restore", "too_large"],
    ["plain", "conflict"],
  ]);
  assert.equal(h.room.graph!.nodes.gone, undefined);
  h.room.dispose();
});
