import assert from "node:assert/strict";
import { installFix, listedNames, parseVersion } from "./probe_ffmpeg.ts";

Deno.test("parseVersion reads distro, release and git builds", () => {
  assert.equal(
    parseVersion("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n"),
    "5.1.9-0+deb12u1",
  );
  assert.equal(parseVersion("ffmpeg version 7.1 Copyright (c) 2000-2024"), "7.1");
  assert.equal(parseVersion("ffmpeg version N-113553-g4b2b8f9 Copyright"), "N-113553-g4b2b8f9");
  assert.equal(parseVersion("something else"), null);
});

Deno.test("listedNames reads filter and encoder listings", () => {
  // Excerpts of `ffmpeg -hide_banner -filters` and `-encoders` (5.1).
  const filters = listedNames(`Filters:
  T.. = Timeline support
  ------
 TSC blend             VV->V      Blend two video frames into each other.
 .S. xfade             VV->V      Cross fade one video with another video.
 ... format            V->V       Convert the input video to one of the specified pixel formats.
`);
  assert.ok(filters.has("xfade") && filters.has("blend") && filters.has("format"));
  assert.ok(!filters.has("Timeline"));
  const encoders = listedNames(`Encoders:
 V..... = Video
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
`);
  assert.ok(encoders.has("libx264"));
});

Deno.test("installFix names the package manager of each OS", () => {
  assert.equal(installFix("linux"), "install ffmpeg: apt-get install ffmpeg");
  assert.equal(installFix("darwin"), "install ffmpeg: brew install ffmpeg");
  assert.equal(installFix("windows"), "install ffmpeg: winget install ffmpeg");
});
