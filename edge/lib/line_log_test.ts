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
