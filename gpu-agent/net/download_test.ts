import assert from "node:assert/strict";
import { MemoryLogger } from "../log/memory_logger.ts";
import { downloadInputs, inputFileName } from "./download.ts";

const quick = { baseDelayMs: 1, random: () => 0, logger: new MemoryLogger() };

Deno.test("inputs are streamed into the work folder under their socket names", async () => {
  const workDir = await Deno.makeTempDir();
  const source = await Deno.makeTempFile({ suffix: ".mp4" });
  let hits = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    hits++;
    return hits === 1 ? new Response("busy", { status: 503 }) : new Response("to-bytes");
  });
  try {
    await Deno.writeTextFile(source, "from-bytes");
    const paths = await downloadInputs(
      [
        { socket: "from", url: `file://${source}`, contentType: "video/mp4" },
        {
          socket: "to",
          url: `http://127.0.0.1:${server.addr.port}/t/take.mov?sig=1`,
          contentType: "application/octet-stream",
        },
      ],
      workDir,
      { retry: quick },
    );
    assert.equal(paths.get("from"), `${workDir}/input-from.mp4`);
    assert.equal(paths.get("to"), `${workDir}/input-to.mov`);
    assert.equal(await Deno.readTextFile(paths.get("from")!), "from-bytes");
    assert.equal(await Deno.readTextFile(paths.get("to")!), "to-bytes");
    assert.equal(hits, 2);
  } finally {
    await server.shutdown();
    await Deno.remove(workDir, { recursive: true });
    await Deno.remove(source);
  }
});

Deno.test("a 404 input fails at once naming the socket", async () => {
  const workDir = await Deno.makeTempDir();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("gone", { status: 404 }),
  );
  try {
    await assert.rejects(
      downloadInputs(
        [{
          socket: "base",
          url: `http://127.0.0.1:${server.addr.port}/x`,
          contentType: "video/mp4",
        }],
        workDir,
        {
          retry: quick,
        },
      ),
      /input 'base': HTTP 404 \(gone\)/,
    );
  } finally {
    await server.shutdown();
    await Deno.remove(workDir, { recursive: true });
  }
});

Deno.test("bad URLs and duplicate sockets are named", async () => {
  await assert.rejects(
    downloadInputs([{ socket: "mask", url: "not a url", contentType: "video/mp4" }], "/tmp"),
    /input 'mask': url is not a valid URL/,
  );
  await assert.rejects(
    downloadInputs([{ socket: "mask", url: "ftp://x/y", contentType: "video/mp4" }], "/tmp"),
    /url must be http\(s\) or file, got ftp:/,
  );
  const dir = await Deno.makeTempDir();
  const file = `${dir}/a.mp4`;
  await Deno.writeTextFile(file, "x");
  try {
    await assert.rejects(
      downloadInputs([
        { socket: "a", url: `file://${file}`, contentType: "video/mp4" },
        { socket: "a", url: `file://${file}`, contentType: "video/mp4" },
      ], dir),
      /input 'a' is given twice/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file names are safe whatever the socket is called", () => {
  assert.equal(
    inputFileName({ socket: "../../etc", url: "http://x/y", contentType: "image/png" }),
    "input-______etc.png",
  );
  assert.equal(
    inputFileName({ socket: "a", url: "http://x/y", contentType: "text/weird" }),
    "input-a.bin",
  );
});
