import assert from "node:assert/strict";
import type { ProgressReport } from "../backend.ts";
import { LogWatch, TAIL_LINES } from "./log_watch.ts";

Deno.test("step/total from the config's pattern gives the percent; the last line is the message", () => {
  const reports: ProgressReport[] = [];
  const watch = new LogWatch(/(?<step>\d+)\/(?<total>\d+) \[/, (r) => reports.push(r), 60_000);
  watch.line("stderr", " 10%|█         | 5/50 [00:05<00:45,  1.00it/s]");
  watch.line("stdout", "saving frames");
  watch.close();
  assert.deepEqual(reports, [{
    percent: 10,
    message: "saving frames",
    step: { current: 5, total: 50 },
  }]);
});

Deno.test("a percent group works too, clamped; lines arriving fast make one report per interval", async () => {
  const reports: ProgressReport[] = [];
  const watch = new LogWatch(/(?<percent>\d+(\.\d+)?)%/, (r) => reports.push(r), 30);
  for (let i = 0; i <= 1000; i++) watch.line("stdout", `${i / 5}% done`);
  watch.line("stdout", "250% done");
  await new Promise((r) => setTimeout(r, 60));
  watch.close();
  assert.equal(reports.length, 1, "one report for the burst");
  assert.deepEqual(reports[0], { percent: 100, message: "250% done" });
  assert.equal(watch.lines, 1002);
});

Deno.test("the failure reason is the last lines of stderr, else of stdout", () => {
  const watch = new LogWatch(null, () => {});
  for (let i = 1; i <= 30; i++) watch.line("stdout", `out ${i}`);
  assert.equal(watch.tail().split("\n").length, TAIL_LINES);
  assert.match(watch.tail(), /^out 11\n(.|\n)*out 30$/);
  watch.line("stderr", "RuntimeError: CUDA out of memory");
  assert.equal(watch.tail(), "RuntimeError: CUDA out of memory");
  watch.close();
});
