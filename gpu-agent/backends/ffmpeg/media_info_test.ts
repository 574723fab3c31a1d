import assert from "node:assert/strict";
import { JobFailure } from "../backend.ts";
import { fpsValue, parseProbe } from "./media_info.ts";

const probe = (streams: unknown[], format: unknown = {}) => JSON.stringify({ streams, format });

Deno.test("parseProbe reads size, rate, duration and audio", () => {
  const info = parseProbe(
    probe([
      {
        codec_type: "video",
        width: 640,
        height: 360,
        r_frame_rate: "30/1",
        avg_frame_rate: "30000/1001",
        duration: "2.002000",
      },
      { codec_type: "audio", duration: "2.000000" },
    ]),
    "input 'from'",
  );
  assert.deepEqual(info, {
    width: 640,
    height: 360,
    fps: "30000/1001",
    durationSeconds: 2.002,
    hasAudio: true,
  });
  assert.ok(Math.abs(fpsValue(info.fps) - 29.97) < 0.01);
});

Deno.test("parseProbe falls back to r_frame_rate and the container duration", () => {
  const info = parseProbe(
    probe([{
      codec_type: "video",
      width: 320,
      height: 240,
      r_frame_rate: "25/1",
      avg_frame_rate: "0/0",
    }], {
      duration: "4.5",
    }),
    "x",
  );
  assert.equal(info.fps, "25/1");
  assert.equal(info.durationSeconds, 4.5);
  assert.equal(info.hasAudio, false);
});

Deno.test("parseProbe names the input when there is no video or no duration", () => {
  assert.throws(
    () => parseProbe(probe([{ codec_type: "audio" }]), "input 'overlay'"),
    (e) =>
      e instanceof JobFailure && e.code === "validation" &&
      /input 'overlay' has no video stream/.test(e.message),
  );
  assert.throws(
    () => parseProbe(probe([{ codec_type: "video", width: 2, height: 2 }]), "input 'base'"),
    /input 'base' has no readable duration/,
  );
  assert.throws(() => parseProbe("nope", "input 'base'"), /not JSON/);
});
