/**
 * `cut.otio_p95_ms`: how long the edge takes to turn a 500-clip cut into OTIO text, the work of
 * one `GET …/cuts/:cutId/otio` (export and serialize; the database reads are the route's).
 * The cut is the export's worst case at that size: every take with sound (a second, mirrored
 * track), a transition on every other clip, odd and even, and two audio tracks of 25 clips that
 * overlap (so they need lanes). 30 warm-up runs, then 300 timed ones. Goal: p95 < 50 ms.
 *
 * Run alone with `deno run -A bench/cut/otio.ts` (merges its figure into
 * bench/results/cut.json); `deno task bench cut` calls `otioFigures()` with the render figures.
 */
import type { AudioClip, Cut, CutClip, VideoClip } from "../../protocol/cut.ts";
import { type CutMedia, exportOtio, serializeOtio } from "../../edge/services/cut/mod.ts";
import { summarize } from "../lib/stats.ts";
import { mergeResults } from "../lib/results.ts";

const CLIPS = 500;

export function benchCut(): { cut: Cut; media: Map<string, CutMedia> } {
  const media = new Map<string, CutMedia>();
  const clips: CutClip[] = [];
  for (let k = 0; k < CLIPS; k++) {
    const nodeId = `node-${k}`;
    const shot = `SHOT-${String(k * 10).padStart(4, "0")}`;
    const relativePath = `renders/SC${
      String(k % 40).padStart(2, "0")
    }/${shot}/v01/${shot}_v01_take03.mp4`;
    media.set(nodeId, {
      name: `${shot}_v01_take03.mp4`,
      url: `https://studio.example/api/blobs/${k}?expires=1765000000&sig=0123456789abcdef`,
      relativePath,
      durationFrames: 240,
      hasAudio: true,
    });
    const clip: VideoClip = {
      id: `clip-${k}`,
      kind: "video",
      nodeId,
      position: `a${String(k).padStart(4, "0")}`,
      in: 12,
      out: 108,
      transition: k % 2 === 0 && k < CLIPS - 1
        ? { kind: k % 4 ? "wipeleft" : "dissolve", frames: 11 + (k % 3) }
        : null,
    };
    clips.push(clip);
  }
  for (const [t, trackId] of ["music", "voice"].entries()) {
    for (let k = 0; k < 25; k++) {
      const clip: AudioClip = {
        id: `${trackId}-${k}`,
        kind: "audio",
        trackId,
        nodeId: `node-${k}`,
        start: k * 1700 + t * 30,
        in: 0,
        out: 2000,
        gainDb: -6,
      };
      clips.push(clip);
    }
  }
  const cut: Cut = {
    id: "cut-bench",
    name: "Bench",
    format: { width: 1280, height: 720, fps: 24 },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
    audioTracks: {
      music: { id: "music", name: "Music", position: "a0" },
      voice: { id: "voice", name: "Voice", position: "a1" },
    },
  };
  return { cut, media };
}

export function otioFigures(): { "cut.otio_p95_ms": number } {
  const { cut, media } = benchCut();
  const run = () => serializeOtio(exportOtio(cut, media));
  for (let i = 0; i < 30; i++) run();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    bytes = run().length;
    samples.push(performance.now() - started);
  }
  const summary = summarize(samples);
  console.log(
    `OTIO export of ${Object.keys(cut.clips).length} clips (${(bytes / 1e6).toFixed(2)} MB): ` +
      `p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms, max ${summary.max} ms`,
  );
  return { "cut.otio_p95_ms": summary.p95 };
}

if (import.meta.main) {
  console.log(`wrote ${await mergeResults("cut", otioFigures())}`);
}
