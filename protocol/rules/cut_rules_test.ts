import assert from "node:assert/strict";
import type { GraphOp } from "../canvas.ts";
import { type Cut, DEFAULT_CUT_FORMAT, layoutVideo, videoTrack } from "../cut.ts";
import { emptyGraph, type GraphNode } from "../graph.ts";
import { applyOp, type Outcome, type RoomDoc } from "./mod.ts";

function shot(id: string, scene: string, shotCode: string, frames = 48, fps = 24): GraphNode {
  const params = { prompt: "p", scene, shot: shotCode, frames, fps };
  return { id, type: "shot.generate", title: id, x: 0, y: 0, params };
}
function other(id: string, type: string, params: Record<string, unknown> = {}): GraphNode {
  return { id, type, title: id, x: 0, y: 0, params };
}
function docWith(...nodes: GraphNode[]): RoomDoc & { apply(op: GraphOp): Outcome } {
  const doc = { graph: emptyGraph(), deleted: new Set<string>() };
  const apply = (op: GraphOp) => applyOp(doc, op);
  for (const node of nodes) {
    const outcome = apply({ type: "node.create", node });
    assert.ok(outcome.ok, JSON.stringify(outcome));
  }
  return { ...doc, apply };
}
const refusal = (outcome: Outcome) => outcome.ok ? null : [outcome.code, outcome.field];
const head = { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT };
const trim = (clipId: string, set: Record<string, unknown>): GraphOp => ({
  type: "cut.clip.update",
  cutId: "main",
  clipId,
  set,
});

/** A doc with a cut of three 48-frame shots a, b, c (in that order) made from the graph. */
function threeShots() {
  const doc = docWith(
    shot("c", "SC02", "SHOT-010"),
    shot("b", "SC01", "SHOT-020"),
    shot("a", "SC01", "SHOT-010"),
  );
  assert.ok(doc.apply({ type: "cut.create", cut: head, fromGraph: true }).ok);
  return { doc, cut: () => doc.graph.cuts!["main"]! };
}
const order = (cut: Cut) => videoTrack(cut).map((c) => c.nodeId);

Deno.test("a cut made from the graph orders shots by scene then shot, transition nodes become transitions", () => {
  const doc = docWith(
    shot("s3", "SC02", "SHOT-010"),
    shot("s2", "SC01", "SHOT-020", 32, 16), // 2 s at 16 fps: 48 frames at 24
    shot("s1", "SC01", "SHOT-010"),
    other("img", "image.generate", { prompt: "p" }),
    other("t", "transition", { kind: "wipeleft", seconds: 0.5 }),
  );
  for (
    const [id, from, to] of [["e1", "s1", "from"], ["e2", "s2", "to"]] as const
  ) {
    const ok = doc.apply({
      type: "edge.create",
      edge: { id, from: { node: from, socket: "video" }, to: { node: "t", socket: to } },
    });
    assert.ok(ok.ok, JSON.stringify(ok));
  }
  assert.ok(doc.apply({ type: "cut.create", cut: head, fromGraph: true }).ok);
  const cut = doc.graph.cuts!["main"]!;
  assert.deepEqual(order(cut), ["s1", "s2", "s3"]); // the image node has no picture to play
  const [first, second, third] = videoTrack(cut);
  assert.deepEqual(first!.transition, { kind: "wipeleft", frames: 12 });
  assert.equal(second!.transition, null);
  assert.deepEqual([second!.in, second!.out, third!.out], [0, 48, 48]);
  assert.equal(layoutVideo(cut).duration, 48 * 3 - 12);
});

Deno.test("moving a clip reorders the track; a trim changes only the properties it names", () => {
  const { doc, cut } = threeShots();
  const [a] = videoTrack(cut());
  assert.ok(doc.apply(trim(a!.id, { position: "a5" })).ok); // after the others' a0..a2
  assert.deepEqual(order(cut()), ["b", "c", "a"]);
  assert.ok(doc.apply(trim(a!.id, { in: 10 })).ok);
  assert.ok(doc.apply(trim(a!.id, { out: 40 })).ok);
  assert.deepEqual([cut().clips[a!.id]!.in, cut().clips[a!.id]!.out], [10, 40]);
  assert.equal(videoTrack(cut()).at(-1)!.position, "a5");
});

Deno.test("a reversed trim or a transition longer than its clips is refused whole, the cut as it was", () => {
  const { doc, cut } = threeShots();
  const before = structuredClone(cut());
  const [a, b] = videoTrack(cut());
  assert.deepEqual(refusal(doc.apply(trim(a!.id, { in: 30, out: 20 }))), [
    "invalid",
    `clips.${a!.id}.out`,
  ]);
  // 40 frames of a 48-frame clip is fine for a; b would then need 40 + its own 0: fine; then
  // shortening b to 30 frames leaves no room for the incoming 40.
  assert.ok(doc.apply(trim(a!.id, { transition: { kind: "dissolve", frames: 40 } })).ok);
  assert.deepEqual(refusal(doc.apply(trim(b!.id, { out: 30 }))), [
    "invalid",
    `clips.${b!.id}.transition`,
  ]);
  assert.deepEqual(
    refusal(doc.apply(trim(a!.id, { transition: { kind: "dissolve", frames: 49 } }))),
    [
      "invalid",
      `clips.${a!.id}.transition`,
    ],
  );
  assert.equal(cut().clips[b!.id]!.out, 48);
  assert.deepEqual(videoTrack(cut())[0]!.transition, { kind: "dissolve", frames: 40 });
  assert.deepEqual({ ...before.clips[b!.id] }, cut().clips[b!.id]);
});

Deno.test("a clip must play an existing node with a picture; a deleted node's clip stays as a gap", () => {
  const { doc, cut } = threeShots();
  assert.ok(
    doc.apply({ type: "node.create", node: other("img", "image.generate", { prompt: "p" }) }).ok,
  );
  const clip = (nodeId: string) => ({
    type: "cut.clip.add" as const,
    cutId: "main",
    clip: {
      id: "x",
      kind: "video" as const,
      nodeId,
      position: "a9",
      in: 0,
      out: 24,
      transition: null,
    },
  });
  assert.deepEqual(refusal(doc.apply(clip("ghost"))), ["not_found", "clip.nodeId"]);
  const noPicture = doc.apply(clip("img"));
  assert.deepEqual(refusal(noPicture), ["invalid", "clip.nodeId"]);
  assert.match((noPicture as { reason: string }).reason, /no video output/);
  assert.ok(doc.apply(clip("a")).ok);
  assert.ok(doc.apply({ type: "node.delete", id: "a" }).ok);
  assert.deepEqual(
    order(cut()),
    ["a", "b", "c", "a"],
    "the clips of a deleted node keep their place",
  );
  assert.ok(doc.apply(trim("x", { out: 12 })).ok, "a gap can still be trimmed");
  assert.deepEqual(refusal(doc.apply(trim("x", { nodeId: "a" }))), null, "same node: no change");
  assert.deepEqual(refusal(doc.apply(trim("v2", { nodeId: "a" }))), ["conflict", "set.nodeId"]);
});

Deno.test("audio tracks hold clips of audio nodes with an offset, trim and gain", () => {
  const { doc, cut } = threeShots();
  assert.ok(
    doc.apply({ type: "node.create", node: other("music", "audio.generate", { prompt: "p" }) }).ok,
  );
  const audio = (trackId: string, nodeId = "music") => ({
    type: "cut.clip.add" as const,
    cutId: "main",
    clip: {
      id: "m1",
      kind: "audio" as const,
      trackId,
      nodeId,
      start: 24,
      in: 0,
      out: 96,
      gainDb: -6,
    },
  });
  assert.deepEqual(refusal(doc.apply(audio("A1"))), ["invalid", "clips.m1.trackId"]);
  assert.ok(
    doc.apply({
      type: "cut.track.add",
      cutId: "main",
      track: { id: "A1", name: "Music", position: "a0" },
    }).ok,
  );
  assert.deepEqual(refusal(doc.apply(audio("A1", "a"))), ["invalid", "clip.nodeId"]); // a shot has no audio
  assert.ok(doc.apply(audio("A1")).ok);
  assert.ok(doc.apply(trim("m1", { start: 0, gainDb: 3 })).ok);
  assert.deepEqual(refusal(doc.apply(trim("m1", { transition: null }))), [
    "invalid",
    "set.transition",
  ]);
  assert.deepEqual([cut().clips["m1"]!.kind, (cut().clips["m1"] as { gainDb: number }).gainDb], [
    "audio",
    3,
  ]);
  assert.ok(doc.apply({ type: "cut.track.remove", cutId: "main", trackId: "A1" }).ok);
  assert.equal(cut().clips["m1"], undefined, "a track goes with its clips");
});

Deno.test("cut ops name what they refer to: unknown cut, clip, duplicate ids", () => {
  const { doc } = threeShots();
  assert.deepEqual(refusal(doc.apply({ type: "cut.create", cut: head })), ["conflict", "cut.id"]);
  assert.deepEqual(refusal(doc.apply({ type: "cut.update", id: "nope", set: { name: "X" } })), [
    "not_found",
    "id",
  ]);
  assert.deepEqual(refusal(doc.apply(trim("nope", { out: 3 }))), ["not_found", "clipId"]);
  assert.ok(doc.apply({ type: "cut.update", id: "main", set: { name: "Director's" } }).ok);
  assert.equal(doc.graph.cuts!["main"]!.name, "Director's");
  assert.ok(doc.apply({ type: "cut.delete", id: "main" }).ok);
  assert.equal(doc.graph.cuts!["main"], undefined);
});

Deno.test("cut.replace takes a whole cut (an import): unknown media are gaps, a node without picture is refused", () => {
  const { doc, cut } = threeShots();
  assert.ok(doc.apply({ type: "node.delete", id: "c" }).ok);
  assert.ok(
    doc.apply({ type: "node.create", node: other("img", "image.generate", { prompt: "p" }) }).ok,
  );
  const next = structuredClone(cut());
  for (const clip of Object.values(next.clips)) clip.in = 4;
  const first = videoTrack(next)[0]!;
  next.clips["v8"] = { ...first, id: "v8", nodeId: "unknown-media", position: "a8" };
  assert.ok(doc.apply({ type: "cut.replace", cut: next }).ok);
  assert.deepEqual(cut(), next);
  const bad = structuredClone(next);
  bad.clips["v9"] = { ...bad.clips["v1"]!, id: "v9", nodeId: "img" };
  assert.deepEqual(refusal(doc.apply({ type: "cut.replace", cut: bad })), [
    "invalid",
    "cut.clips.v9.nodeId",
  ]);
  assert.deepEqual(cut(), next);
});
