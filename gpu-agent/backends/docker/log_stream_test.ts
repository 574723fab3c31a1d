import assert from "node:assert/strict";
import {
  demultiplex,
  LineSplitter,
  MAX_LINE_CHARS,
  readLines,
  type StreamName,
} from "./log_stream.ts";

/** One frame as the engine writes it: [stream, 0, 0, 0, size (big-endian)] + payload. */
function frame(stream: 1 | 2, text: string | Uint8Array): Uint8Array {
  const payload = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

/** A stream that hands the bytes over in chunks of `size` (frames split anywhere). */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

async function lines(bytes: Uint8Array, size: number) {
  const seen: [StreamName, string][] = [];
  await readLines(chunked(bytes, size), (stream, line) => seen.push([stream, line]));
  return seen;
}

Deno.test("stdout and stderr frames come apart into lines, whatever the chunking", async () => {
  const bytes = concat(
    frame(1, "step 1/3\nstep "),
    frame(2, "warning: slow\n"),
    frame(1, "2/3\n"),
    frame(2, "Traceback"),
    frame(1, "done"),
  );
  const expected: [StreamName, string][] = [
    ["stdout", "step 1/3"],
    ["stderr", "warning: slow"],
    ["stdout", "step 2/3"],
    ["stdout", "done"],
    ["stderr", "Traceback"],
  ];
  for (const size of [1, 3, 7, 8, 9, 64, bytes.length]) {
    assert.deepEqual(await lines(bytes, size), expected, `chunks of ${size}`);
  }
});

Deno.test("a frame of a size above 2^31 is read as unsigned, and an empty frame is fine", async () => {
  const header = new Uint8Array([1, 0, 0, 0, 0x80, 0, 0, 0]);
  const frames = demultiplex(chunked(concat(frame(1, ""), frame(1, "x\n"), header), 4));
  assert.deepEqual((await frames.next()).value.payload.length, 0);
  assert.equal(new TextDecoder().decode((await frames.next()).value.payload), "x\n");
  // The engine promised 2 GiB more: the stream ending there is an error, not a short read.
  await assert.rejects(frames.next(), /ended inside a frame/);
});

Deno.test("carriage returns end lines (tqdm redraws), \\r\\n counts once, even across chunks", () => {
  const seen: string[] = [];
  const splitter = new LineSplitter((line) => seen.push(line));
  const bytes = new TextEncoder().encode("  2%|2/100 [00:01]\r  3%|3/100 [00:02]\r\nend\r");
  for (const byte of bytes) splitter.push(new Uint8Array([byte]));
  splitter.push(new TextEncoder().encode("\nlast"));
  splitter.end();
  assert.deepEqual(seen, ["  2%|2/100 [00:01]", "  3%|3/100 [00:02]", "end", "last"]);
});

Deno.test("UTF-8 split between chunks decodes whole; a line without an end is cut, not kept", () => {
  const seen: string[] = [];
  const splitter = new LineSplitter((line) => seen.push(line));
  const bytes = new TextEncoder().encode("über\n");
  splitter.push(bytes.slice(0, 2));
  splitter.push(bytes.slice(2));
  splitter.push(new TextEncoder().encode("x".repeat(MAX_LINE_CHARS * 2 + 5)));
  assert.equal(seen.length, 3);
  splitter.end();
  assert.deepEqual(seen.map((l) => l.length), [4, MAX_LINE_CHARS, MAX_LINE_CHARS, 5]);
  assert.equal(seen[0], "über");
});
