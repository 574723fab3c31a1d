import assert from "node:assert/strict";
import { ProgressParser } from "./progress_parser.ts";

// Recorded from `ffmpeg -progress pipe:1 -nostats` (ffmpeg 5.1).
const RECORDED = `frame=0
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=48
out_time_us=N/A
out_time_ms=N/A
out_time=N/A
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=38
fps=0.00
stream_0_0_q=28.0
bitrate=   0.2kbits/s
total_size=48
out_time_us=1240000
out_time_ms=1240000
out_time=00:00:01.240000
dup_frames=0
drop_frames=0
speed=2.47x
progress=continue
frame=50
fps=43.10
stream_0_0_q=-1.0
bitrate=  96.6kbits/s
total_size=24170
out_time_us=2000000
out_time_ms=2000000
out_time=00:00:02.000000
dup_frames=0
drop_frames=0
speed=1.72x
progress=end
`;

Deno.test("one update per block, with media time, speed and the end marker", () => {
  const parser = new ProgressParser();
  const updates = RECORDED.split("\n").map((l) => parser.line(l)).filter((u) => u !== null);
  assert.deepEqual(updates, [
    { outTimeSeconds: 0, speed: null, end: false },
    { outTimeSeconds: 1.24, speed: 2.47, end: false },
    { outTimeSeconds: 2, speed: 1.72, end: true },
  ]);
});

Deno.test("lines without '=' are ignored", () => {
  const parser = new ProgressParser();
  assert.equal(parser.line(""), null);
  assert.equal(parser.line("garbage"), null);
});
