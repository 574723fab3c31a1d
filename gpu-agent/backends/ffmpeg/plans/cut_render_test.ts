import assert from "node:assert/strict";
import {
  type CutRenderParams,
  cutRenderParamsSchema,
  placeClips,
} from "../../../../protocol/cut.ts";
import { cutRenderPlan, MAX_SEGMENT_INPUTS, type RenderSource } from "./cut_render.ts";

/** 20 clips of 75 frames, five 12-frame dissolves, a gap, two audio tracks. */
function bigCut(name = "Main"): CutRenderParams {
  return cutRenderParamsSchema.parse({
    cutId: "cut-1",
    cutName: name,
    revision: 4,
    format: { width: 1280, height: 720, fps: 24 },
    video: Array.from({ length: 20 }, (_, i) => ({
      clipId: `c${i}`,
      input: i === 7 ? null : `t${i % 6}`,
      in: 6,
      out: 81,
      transition: i % 4 === 2 ? { kind: "dissolve", frames: 12 } : null,
    })),
    audio: [
      { clipId: "bed", input: "music", start: 0, in: 0, out: 1440, gainDb: -6 },
      { clipId: "line", input: "voice", start: 240, in: 0, out: 120, gainDb: 0 },
    ],
  });
}

const sources = new Map<string, RenderSource>([
  ...Array.from({ length: 6 }, (_, i) =>
    [
      `t${i}`,
      { path: `/work/job/input-t${i}.mp4`, hasVideo: true, hasAudio: i % 2 === 0 },
    ] as const),
  ["music", { path: "/work/job/input-music.wav", hasVideo: false, hasAudio: true }],
  ["voice", { path: "/work/job/input-voice.wav", hasVideo: false, hasAudio: true }],
]);

const inputsOf = (args: string[]) => args.filter((_, i) => args[i - 1] === "-i");

Deno.test("segments open at most MAX_SEGMENT_INPUTS files and add up to the film", () => {
  const params = bigCut();
  const plan = cutRenderPlan(params, sources, "/work/job");
  const film = placeClips(params.video).duration;
  assert.equal(plan.frames, film);
  assert.ok(plan.segments.length > 1);
  for (const segment of plan.segments) {
    assert.ok(inputsOf(segment.args).length <= MAX_SEGMENT_INPUTS, segment.args.join(" "));
  }
  const seconds = plan.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
  assert.ok(Math.abs(seconds - film / 24) < 1e-9, `${seconds} s of ${film / 24} s`);
  // Every transition is one xfade, in whichever segment it falls.
  const xfades = plan.segments.flatMap((s) => s.args.join(" ").match(/xfade=/g) ?? []);
  assert.equal(xfades.length, 5);
  assert.equal(plan.list.text.split("\n").filter(Boolean).length, plan.segments.length);
  assert.deepEqual(inputsOf(plan.final.args).slice(0, 1), ["file:/work/job/segments.txt"]);
});

Deno.test("the argv holds numbers, our labels and file: paths, never the cut's or clips' names", () => {
  const name = `Bob's "cut"; [v1], final`;
  const plan = cutRenderPlan(bigCut(name), sources, "/work/job");
  for (const step of [...plan.segments, plan.final]) {
    for (const arg of step.args) {
      assert.ok(!arg.includes("Bob") && !arg.includes("final"), arg);
      if (arg.startsWith("/") || arg.includes("/work/")) {
        assert.match(arg, /^file:\/work\/job\/[\w.-]+$/, "paths only as file: URLs");
      }
    }
    const graph = step.args[step.args.indexOf("-filter_complex") + 1]!;
    // Labels, filter names, numbers and the fixed scale/pad expressions: no quotes, no paths.
    assert.match(graph, /^[\w=:;,.[\]()/*+-]+$/, graph);
  }
});

Deno.test("a transition at a segment boundary reads the next clip's head, which the next segment skips", () => {
  // Five clips each with a file and a transition: no segment can hold them all.
  const params = cutRenderParamsSchema.parse({
    cutId: "c",
    cutName: "x",
    revision: 1,
    format: { width: 320, height: 240, fps: 24 },
    video: Array.from({ length: 5 }, (_, i) => ({
      clipId: `c${i}`,
      input: "t0",
      in: 0,
      out: 48,
      transition: { kind: "wipeleft", frames: 12 },
    })),
    audio: [],
  });
  const plan = cutRenderPlan(params, sources, "/w");
  assert.equal(plan.segments.length, 2);
  const [first, second] = plan.segments.map((s) => s.args.join(" "));
  // First: clips 0-2 and the first 12 frames of clip 3; second: clip 3 from frame 12, clip 4.
  assert.equal(inputsOf(plan.segments[0]!.args).length, 4);
  assert.match(first!, /trim=end_frame=12,/);
  assert.match(second!, /-ss 0\.5 -t 1\.5833\d* -i file:\/work\/job\/input-t0\.mp4/);
  assert.equal(plan.segments[0]!.durationSeconds * 24, 48 + 36 + 36);
  assert.equal(plan.segments[1]!.durationSeconds * 24, 36 + 36);
  assert.equal((first!.match(/xfade=transition=wipeleft/g) ?? []).length, 3);
  assert.equal((second!.match(/xfade=transition=wipeleft/g) ?? []).length, 1);
});
