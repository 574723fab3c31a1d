import assert from "node:assert/strict";
import { lineLog } from "./line_log.ts";

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("log lines come out whole, in order, one JSON object per line", async () => {
  const writes: string[] = [];
  const decoder = new TextDecoder();
  // A sink that takes at most 7 bytes per call, as a full pipe may.
  const log = lineLog((bytes) => {
    const taken = bytes.subarray(0, 7);
    writes.push(decoder.decode(taken));
    return taken.length;
  });
  log({ id: 1, path: "/a" });
  log({ id: 2, path: "/b" });
  assert.equal(writes.length, 0, "nothing is written inside the turn that logged");
  await nextTurn();
  const lines = writes.join("").split("\n");
  assert.deepEqual(lines.slice(0, -1).map((l) => JSON.parse(l)), [
    { id: 1, path: "/a" },
    { id: 2, path: "/b" },
  ]);
  assert.equal(lines.at(-1), "", "the last line ends with a newline");
});

Deno.test("a burst of log lines is written at once when it grows past 64 KB", async () => {
  let text = "";
  const decoder = new TextDecoder();
  const log = lineLog((bytes) => {
    text += decoder.decode(bytes);
    return bytes.length;
  });
  const big = "x".repeat(1000);
  for (let i = 0; i < 70; i++) log({ i, big });
  assert.ok(text.length >= 64 * 1024, "flushed without waiting for the next turn");
  assert.ok(text.split("\n").length < 71, "the lines after the flush wait for the next turn");
  await nextTurn();
  assert.equal(text.split("\n").length, 71, "every line, once");
});

Deno.test("each write carries whole lines and at most 4 KiB, so threads sharing stdout do not split lines", async () => {
  const writes: Uint8Array[] = [];
  const log = lineLog((bytes) => {
    writes.push(bytes.slice());
    return bytes.length;
  });
  for (let i = 0; i < 40; i++) log({ i, pad: "y".repeat(300) });
  log({ huge: "z".repeat(10_000) });
  log({ after: true });
  await nextTurn();
  const decoder = new TextDecoder();
  for (const w of writes) {
    const text = decoder.decode(w);
    assert.ok(text.endsWith("\n"), "every write ends at a line end");
    assert.ok(w.length <= 4096 || !text.slice(0, -1).includes("\n"), "only a lone line is longer");
  }
  const lines = writes.map((w) => decoder.decode(w)).join("").split("\n").slice(0, -1);
  assert.equal(lines.length, 42);
  assert.deepEqual(JSON.parse(lines.at(-1)!), { after: true });
  assert.ok(writes.length > 3, "split into several writes");
});
