import assert from "node:assert/strict";
import { placeClips } from "../../../protocol/cut.ts";
import { videoClip } from "./test_clips.ts";
import { filmLayersAt, mixAt, transitionLooks } from "./film_mix.ts";
import { playingAt } from "./timeline.ts";

const clip = videoClip;

Deno.test("during a transition both clips show, each at its own frame; elsewhere one", () => {
  // a: film frames 0-47, b: 36-83 (a 12-frame dissolve from 36 to 47).
  const { clips } = placeClips([clip("a", "a0", 48, 12), clip("b", "a1", 48)]);
  const at = (f: number) => {
    const mix = mixAt(clips, f)!;
    return [mix.from.placed.clip.id, mix.from.source, mix.to?.placed.clip.id, mix.to?.source];
  };
  assert.deepEqual(at(35), ["a", 45, undefined, undefined]);
  assert.deepEqual(at(36), ["a", 46, "b", 10]);
  assert.deepEqual(at(47), ["a", 57, "b", 21]);
  assert.deepEqual(at(48), ["b", 22, undefined, undefined]);
  assert.equal(mixAt(clips, 84), null, "after the end");
  // Progress runs through the transition's frames, never 0 or 1 on one of them.
  assert.equal(mixAt(clips, 36)!.progress, 0.5 / 12);
  assert.equal(mixAt(clips, 47)!.progress, 11.5 / 12);
});

Deno.test("the clip a transition frame is about is the one the timeline names there", () => {
  for (const fade of [11, 12]) {
    const { clips } = placeClips([clip("a", "a0", 48, fade), clip("b", "a1", 48)]);
    for (let f = 0; f < 96 - fade; f++) {
      const mix = mixAt(clips, f)!;
      const main = mix.main === "to" ? mix.to! : mix.from;
      assert.equal(main.placed.clip.id, playingAt(clips, f)!.placed.clip.id, `frame ${f}`);
      assert.equal(main.source, playingAt(clips, f)!.source, `frame ${f}`);
    }
  }
});

Deno.test("each transition kind mixes the two takes as the render does", () => {
  const dissolve = transitionLooks("dissolve", 0.25);
  assert.deepEqual([dissolve.from.opacity, dissolve.to.opacity], [1, 0.25]);
  assert.deepEqual([dissolve.from.volume, dissolve.to.volume], [0.75, 0.25]);
  // Through black: the first half fades out, the second fades in.
  const early = transitionLooks("fadeblack", 0.25);
  const late = transitionLooks("fadeblack", 0.75);
  assert.deepEqual([early.from.opacity, early.to.opacity], [0.5, 0]);
  assert.deepEqual([late.from.opacity, late.to.opacity], [0, 0.5]);
  // A wipe uncovers the incoming take from one side: a quarter of the way, a quarter of it.
  assert.equal(transitionLooks("wipeleft", 0.25).to.clip, "inset(0 0 0 75.00%)");
  assert.equal(transitionLooks("wipedown", 0.25).to.clip, "inset(0 0 75.00% 0)");
  assert.equal(transitionLooks("wipeleft", 0.25).to.opacity, 1);
});

Deno.test("the layers to draw: one take, two in a transition, black for a gap", () => {
  const { clips } = placeClips([clip("a", "a0", 48, 12), clip("b", "a1", 48)]);
  const urls: Record<string, string | null> = { a: "/a.mp4", b: "/b.mp4" };
  const layers = (f: number) =>
    filmLayersAt(clips, f, 24, (p) => urls[p.clip.nodeId] ?? null)
      .map((l) => [l.url, l.seconds, l.look.opacity, l.main]);
  assert.deepEqual(layers(0), [["/a.mp4", 10 / 24, 1, true]]);
  assert.deepEqual(layers(42), [["/a.mp4", 52 / 24, 1, false], [
    "/b.mp4",
    16 / 24,
    6.5 / 12,
    true,
  ]]);
  assert.deepEqual(layers(100), []);
  // b has no take: a fades to black over the transition.
  urls.b = null;
  assert.deepEqual(layers(39), [["/a.mp4", 49 / 24, 1 - 3.5 / 12, true]]);
  assert.deepEqual(layers(50), []);
});
