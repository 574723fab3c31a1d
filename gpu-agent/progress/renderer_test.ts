import assert from "node:assert/strict";
import { formatEta, ProgressRenderer } from "./renderer.ts";

function capture(isTty: boolean, columns = 120) {
  let out = "";
  const renderer = new ProgressRenderer({ isTty, columns, barWidth: 10, write: (t) => (out += t) });
  return { renderer, output: () => out };
}

Deno.test("on a terminal the bar is redrawn in place on one line", () => {
  const { renderer, output } = capture(true);
  renderer.update("job-1", { percent: 0, message: "loading model" });
  renderer.update("job-1", { percent: 50, message: "step 10/20", etaSeconds: 75 });
  const frames = output().split("\r\x1b[2K").filter(Boolean);
  assert.equal(frames.length, 2);
  assert.equal(frames[1], "job-1 [#####-----]  50% step 10/20 ETA 1:15");
  assert.ok(!output().includes("\n"));
  renderer.done("job-1", "succeeded");
  assert.ok(output().endsWith("\r\x1b[2Kjob-1 succeeded\n"));
});

Deno.test("on a terminal a long line is cut to the width", () => {
  const { renderer, output } = capture(true, 30);
  renderer.update("job-1", { percent: 10, message: "x".repeat(200) });
  assert.equal(output().replace("\r\x1b[2K", "").length, 29);
});

Deno.test("off a terminal it prints plain lines, one per 10 % step, no escape codes", () => {
  const { renderer, output } = capture(false);
  for (let p = 0; p <= 100; p += 2) renderer.update("job-1", { percent: p, message: `at ${p}` });
  renderer.done("job-1", "failed: out of memory");
  const lines = output().trimEnd().split("\n");
  assert.equal(lines.length, 12);
  assert.equal(lines[0], "job-1   0% at 0");
  assert.equal(lines[5], "job-1  50% at 50");
  assert.equal(lines[11], "job-1 failed: out of memory");
  assert.ok(!output().includes("\x1b") && !output().includes("\r"));
});

Deno.test("percent is clamped to 0-100", () => {
  const { renderer, output } = capture(true);
  renderer.update("j", { percent: 250, message: "" });
  assert.match(output(), /\[##########\] 100%/);
  renderer.update("j", { percent: Number.NaN, message: "" });
  assert.match(output(), /\[----------\] {3}0%/);
});

Deno.test("formatEta writes m:ss and h:mm:ss", () => {
  assert.equal(formatEta(5), "0:05");
  assert.equal(formatEta(125), "2:05");
  assert.equal(formatEta(3725), "1:02:05");
});
