import assert from "node:assert/strict";
import { shotFrames, soundFrames } from "./cut_from_graph.ts";
import type { GraphNode } from "./graph.ts";

const node = (type: string, params: Record<string, unknown>): GraphNode => ({
  id: "n",
  type,
  title: "n",
  x: 0,
  y: 0,
  params,
});

Deno.test("a sound added to the cut is as long as its node's seconds, a shot its frames", () => {
  assert.equal(soundFrames(node("audio.generate", { prompt: "rain", seconds: 6 }), 24), 144);
  assert.equal(soundFrames(node("audio.generate", { prompt: "rain" }), 25), 250, "10 s unless set");
  assert.equal(shotFrames(node("shot.generate", { frames: 32, fps: 16 }), 24), 48);
});
