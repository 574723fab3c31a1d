import assert from "node:assert/strict";
import { POSTER_MAX_BYTES } from "../../../protocol/jobs.ts";
import { describeVideo } from "./poster.ts";
import { inspect, makeClip, near, pixelAt } from "./test_media.ts";

Deno.test("a video's facts come from ffprobe and its poster is a small JPEG of the picture, not the fade-in", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-poster-" });
  try {
    const clip = await makeClip(`${dir}/take.mp4`, {
      source: "color=c=blue",
      // Starts black: a poster of the first frame would be black.
      draw: "fade=in:st=0:d=0.5",
      size: "1280x720",
      rate: 24,
      seconds: 3,
      audio: true,
    });
    const { media, posterPath } = await describeVideo(clip, `${dir}/take.poster.jpg`, {
      signal: new AbortController().signal,
    });
    assert.deepEqual(media, {
      durationSeconds: 3,
      fps: 24,
      width: 1280,
      height: 720,
      hasAudio: true,
    });
    assert.equal(posterPath, `${dir}/take.poster.jpg`);
    const bytes = await Deno.readFile(posterPath!);
    assert.deepEqual([...bytes.slice(0, 3)], [0xff, 0xd8, 0xff], "a JPEG");
    assert.ok(bytes.length < 50_000 && bytes.length <= POSTER_MAX_BYTES, `${bytes.length} bytes`);
    const poster = await inspect(posterPath!);
    assert.deepEqual([poster.width, poster.height], [480, 270]);
    assert.ok(near(await pixelAt(posterPath!, 0, 240, 135), [0, 0, 255], 40));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file that is not a video is refused, naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-poster-" });
  try {
    await Deno.writeTextFile(`${dir}/x.mp4`, "not a video");
    await assert.rejects(
      describeVideo(`${dir}/x.mp4`, `${dir}/x.jpg`, { signal: new AbortController().signal }),
      /the output is not readable media/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
