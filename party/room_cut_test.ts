/**
 * The room with cuts: cut ops are ordered, acked and relayed like graph ops, refused to reviewers,
 * stored part by part (a trim writes one clip), kept across a restart, flushed with the graph and
 * reverted with it; the edge's cut edits (an import) are ordered the same way.
 */
import assert from "node:assert/strict";
import { DEFAULT_CUT_FORMAT } from "../protocol/cut.ts";
import { FakeEdge, makeRoom, shotNode } from "../test/rooms/room_harness.ts";
import { RoomRefusal } from "./room.ts";

const create = {
  type: "cut.create",
  opId: "c1",
  cut: { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT },
  fromGraph: true,
};
const trimOut = (opId: string, out: number) => ({
  type: "cut.clip.update",
  opId,
  cutId: "main",
  clipId: "v1",
  set: { out },
});

async function roomWithCut() {
  const h = await makeRoom();
  const ada = h.join("ada");
  h.send(ada, { type: "node.create", opId: "n1", node: shotNode("s1") });
  h.send(ada, { type: "node.create", opId: "n2", node: shotNode("s2") });
  h.send(ada, create);
  assert.equal(ada.of("ack").length, 3, JSON.stringify(ada.of("reject")));
  return { h, ada };
}

Deno.test("a trim is acked to its sender and relayed to everyone; a bad trim is refused naming the field", async () => {
  const { h, ada } = await roomWithCut();
  const bob = h.join("bob");
  h.send(ada, trimOut("t1", 40));
  assert.equal(ada.of("ack").at(-1)?.opId, "t1");
  const relayed = bob.of("state.update").at(-1);
  assert.equal(relayed?.op.type, "cut.clip.update");
  assert.equal(h.room.graph?.cuts?.["main"]?.clips["v1"]?.out, 40);
  h.send(bob, trimOut("t2", 0));
  const reject = bob.of("reject")[0];
  assert.equal(reject?.code, "invalid");
  assert.equal(reject?.field, "clips.v1.out");
  assert.equal(h.room.graph?.cuts?.["main"]?.clips["v1"]?.out, 40);
  assert.equal(ada.of("state.update").length, 0, "a refused op is not relayed");
  h.room.dispose();
});

Deno.test("reviewers cannot create or edit a cut", async () => {
  const { h } = await roomWithCut();
  const rita = h.join("rita", "reviewer");
  h.send(rita, trimOut("r1", 10));
  h.send(rita, { ...create, opId: "r2", cut: { ...create.cut, id: "other" } });
  assert.deepEqual(rita.of("reject").map((r) => [r.code, r.reason]), [
    ["forbidden", "reviewers cannot change a cut"],
    ["forbidden", "reviewers cannot change a cut"],
  ]);
  assert.equal(h.room.graph?.cuts?.["main"]?.clips["v1"]?.out, 121);
  assert.deepEqual(Object.keys(h.room.graph?.cuts ?? {}), ["main"]);
  h.room.dispose();
});

Deno.test("a trim stores one clip; a restarted room has the cut as it was", async () => {
  const { h, ada } = await roomWithCut();
  await h.clock.advance(0);
  const writes: string[][] = [];
  const put = h.storage.put.bind(h.storage);
  h.storage.put = (entries) => (writes.push(Object.keys(entries)), put(entries));
  h.send(ada, trimOut("t1", 30));
  await h.clock.advance(0);
  assert.deepEqual(writes, [["cut:main/v1", "meta"]]);
  const cut = structuredClone(h.room.graph!.cuts!["main"]);
  h.room.dispose();
  const restarted = await makeRoom({ storage: h.storage, edge: new FakeEdge(null) });
  assert.deepEqual(restarted.room.graph?.cuts?.["main"], cut);
  restarted.room.dispose();
});

Deno.test("cuts are flushed with the graph and reverted with it", async () => {
  const { h, ada } = await roomWithCut();
  assert.deepEqual(await h.room.edgeEvent({ type: "graph.flush" }), { revision: 101 });
  const flushed = h.edge.flushes[0]!.graph;
  assert.deepEqual(Object.keys(flushed.cuts?.["main"]?.clips ?? {}), ["v1", "v2"]);
  h.edge.revisions[101] = structuredClone(flushed);
  h.send(ada, { type: "cut.clip.remove", opId: "x", cutId: "main", clipId: "v2" });
  assert.deepEqual(Object.keys(h.room.graph!.cuts!["main"]!.clips), ["v1"]);
  await h.room.edgeEvent({ type: "graph.revert", revision: 101, authorId: "ada" });
  assert.deepEqual(Object.keys(h.room.graph!.cuts!["main"]!.clips), ["v1", "v2"]);
  assert.deepEqual(await h.storage.get("cut:main/v2"), h.room.graph!.cuts!["main"]!.clips["v2"]);
  h.room.dispose();
});

Deno.test("a cut edit from the edge is relayed, stored at once and answered with its revision; a bad one is refused", async () => {
  const { h, ada } = await roomWithCut();
  const next = structuredClone(h.room.graph!.cuts!["main"]!);
  next.clips["v2"]!.in = 10;
  const answer = await h.room.edgeEvent({
    type: "cut.edit",
    op: { type: "cut.replace", cut: next },
    authorId: "bob",
  });
  assert.deepEqual(answer, { revision: 101 });
  await h.clock.advance(0);
  assert.equal(h.edge.flushes[0]?.graph.cuts?.["main"]?.clips["v2"]?.in, 10);
  assert.deepEqual(h.edge.flushes[0]?.authorIds.sort(), ["ada", "bob"]);
  const update = ada.of("state.update").at(-1);
  assert.equal(update?.by, "bob");
  next.clips["v2"]!.out = 5;
  await assert.rejects(
    () =>
      h.room.edgeEvent({
        type: "cut.edit",
        op: { type: "cut.replace", cut: next },
        authorId: "bob",
      }),
    (e: unknown) => e instanceof RoomRefusal && e.refusal.field === "clips.v2.out",
  );
  h.room.dispose();
});
