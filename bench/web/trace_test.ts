import assert from "node:assert/strict";
import { frameCosts, type TraceEvent } from "./trace.ts";

const MAIN = { pid: 1, tid: 7 };
const event = (name: string, ts: number, dur: number, tdur = dur): TraceEvent => ({
  name,
  cat: "test",
  ph: "X",
  ...MAIN,
  ts,
  dur,
  tdur,
});
/** A task of the main thread running a frame: it starts just before the frame, ends after. */
const frameTask = (ts: number, ms: number) => [
  event("ThreadControllerImpl::RunTask", ts - 5, ms * 1000 + 10),
  event("ProxyMain::BeginMainFrame", ts, ms * 1000, ms * 800),
];
const threadName: TraceEvent = {
  name: "thread_name",
  cat: "__metadata",
  ph: "M",
  ...MAIN,
  ts: 0,
  args: { name: "CrRendererMain" },
};

Deno.test("frame costs: each frame's CPU and wall time, and only the other tasks between frames", () => {
  const events = [
    threadName,
    ...frameTask(0, 2),
    event("ThreadControllerImpl::RunTask", 5_000, 1_000, 900), // another task after frame 1
    ...frameTask(16_000, 3),
    ...frameTask(32_000, 2),
  ];
  const costs = frameCosts(events);
  assert.deepEqual(costs.cpu, [1.6, 2.4, 1.6]);
  assert.deepEqual(costs.wall, [2, 3, 2]);
  // Neither a frame's own task nor the next frame's (which starts just before it) is "other".
  assert.deepEqual(costs.between, [0.9, 0, 0]);
});

Deno.test("frame costs refuse a trace without frames rather than report nothing", () => {
  assert.throws(() => frameCosts([threadName]), /no page main thread/);
  const noCpu = frameTask(0, 2).map((e) => ({ ...e, tdur: undefined }));
  assert.throws(() => frameCosts([threadName, ...noCpu]), /no CPU time/);
});
