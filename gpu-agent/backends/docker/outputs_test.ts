import assert from "node:assert/strict";
import { JobFailure } from "../backend.ts";
import { collectOutputs } from "./outputs.ts";

async function folder(files: Record<string, string>) {
  const dir = await Deno.makeTempDir();
  for (const [name, body] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${name}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${name}`, body);
  }
  return dir;
}

Deno.test("globs under /outputs pick the takes, with their types, sorted", async () => {
  const dir = await folder({ "videos/b.mp4": "b", "videos/a.mp4": "a", "log.txt": "x" });
  try {
    const outputs = await collectOutputs([{ glob: "videos/*.mp4", kind: "video" }], dir);
    const real = await Deno.realPath(dir);
    assert.deepEqual(outputs, [
      { path: `${real}/videos/a.mp4`, ext: "mp4", contentType: "video/mp4" },
      { path: `${real}/videos/b.mp4`, ext: "mp4", contentType: "video/mp4" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no match fails naming the glob; a wrong kind or a link is refused, not uploaded", async () => {
  const dir = await folder({ "out.txt": "x", "clip.mp4": "x" });
  try {
    await assert.rejects(
      collectOutputs([{ glob: "*.png", kind: "image" }], dir),
      (e: JobFailure) =>
        e.code === "output" &&
        e.message === "the model finished without an output matching *.png in /outputs",
    );
    await assert.rejects(
      collectOutputs([{ glob: "*.mp4", kind: "audio" }], dir),
      (e: JobFailure) => /clip\.mp4 is not an audio file the studio knows/.test(e.message),
    );
    await Deno.symlink("/etc/passwd", `${dir}/passwd.png`);
    await assert.rejects(
      collectOutputs([{ glob: "*.png", kind: "image" }], dir),
      (e: JobFailure) => /passwd\.png is a link or special file/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
