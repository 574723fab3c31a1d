import assert from "node:assert/strict";
import { DEFAULT_CUT_FORMAT } from "../../../protocol/cut.ts";
import { ApiError } from "../../errors.ts";
import { cutRenderParams } from "./render_params.ts";
import { goldenCut } from "./testing.ts";

Deno.test("render params play each clip's selected take in order; shared takes share an input, missing ones are gaps", () => {
  const { cut } = goldenCut();
  const nodes = [...new Set(Object.values(cut.clips).map((c) => c.nodeId))];
  // Every node but the first has a take; the last two nodes share one take.
  const takes = new Map(nodes.slice(1).map((n, i) => [n, `take-${Math.min(i, nodes.length - 3)}`]));
  const { params, inputs } = cutRenderParams(cut, 7, takes);
  assert.equal(params.revision, 7);
  assert.deepEqual(params.format, cut.format);
  const video = Object.values(cut.clips).filter((c) => c.kind === "video");
  assert.equal(params.video.length, video.length);
  for (const clip of params.video) {
    const source = cut.clips[clip.clipId]!;
    assert.deepEqual([clip.in, clip.out], [source.in, source.out]);
    const takeId = takes.get(source.nodeId);
    assert.equal(
      clip.input === null ? undefined : inputs.find((i) => i.socket === clip.input)?.takeId,
      takeId,
    );
  }
  assert.equal(new Set(inputs.map((i) => i.takeId)).size, inputs.length, "one input per take");
  assert.ok(params.video.some((c) => c.input === null) || !takes.has(video[0]!.nodeId));
});

Deno.test("a cut without picture cannot be rendered: 422 naming the field", () => {
  const empty = {
    id: "c",
    name: "Empty",
    format: DEFAULT_CUT_FORMAT,
    clips: {},
    audioTracks: {},
  };
  assert.throws(
    () => cutRenderParams(empty, 1, new Map()),
    (e: unknown) => e instanceof ApiError && e.status === 422 && e.issues?.[0]?.path === "video",
  );
});
