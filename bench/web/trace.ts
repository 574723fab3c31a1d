/**
 * Chrome tracing over CDP for the web benchmark: records a gesture and reads, for the page's
 * renderer main thread, what each frame cost.
 *
 * A frame's main-thread work in Chromium is one task, `ProxyMain::BeginMainFrame`: it
 * dispatches the rAF-aligned input queued since the last frame (pointermove and friends), runs
 * requestAnimationFrame callbacks, then style, layout, pre-paint, paint (display lists) and
 * hands the result to the compositor. Its `tdur` is the thread's CPU time for that task (from
 * CLOCK_THREAD_CPUTIME_ID), so it does not count time the renderer waited for a core that the
 * driver, the edge or the room server held on this 2-core machine; `dur` is the wall time.
 * Tasks between frames (discrete input like pointerdown, timers, WebSocket messages) are
 * reported separately, as is raster, which Chromium does off the main thread (on tile workers;
 * in software here, since Chromium runs with --disable-gpu).
 */
import type { CDPSession, Page } from "playwright-core";

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: Record<string, unknown> & { name?: string; data?: Record<string, unknown> };
}

/**
 * What the benchmark records: tasks (toplevel) and the compositor's frame events (cc,
 * benchmark). Light enough to leave the measured frames nearly untouched.
 */
export const FRAME_CATEGORIES = ["toplevel", "cc", "benchmark"];

/** What profile.ts records on top: style, layout, paint, layerize and script, per event. */
export const CATEGORIES = [
  ...FRAME_CATEGORIES,
  "devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "v8.execute",
  "blink.user_timing",
];

/** Starts tracing the page's browser; `stop()` returns every event recorded meanwhile. */
export async function startTrace(
  page: Page,
  categories: string[] = CATEGORIES,
): Promise<{ stop(): Promise<TraceEvent[]>; session: CDPSession }> {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await session.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: { includedCategories: categories, recordMode: "recordContinuously" },
  });
  return {
    session,
    async stop() {
      const done = new Promise<void>((resolve) =>
        session.once("Tracing.tracingComplete", () => resolve())
      );
      await session.send("Tracing.end");
      await done;
      await session.detach();
      return events;
    },
  };
}

/** Thread names by `pid:tid`. */
export function threadNames(events: TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name") {
      names.set(`${e.pid}:${e.tid}`, String(e.args?.name));
    }
  }
  return names;
}

/** The renderer main thread that ran the most frames: the page's. */
export function pageMainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const names = threadNames(events);
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.name !== "ProxyMain::BeginMainFrame" || e.ph !== "X") continue;
    const key = `${e.pid}:${e.tid}`;
    if (names.get(key) !== "CrRendererMain") continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid, tid] = best[0].split(":").map(Number);
  return { pid: pid!, tid: tid! };
}

export interface FrameCosts {
  /** Per frame: CPU time of the frame's main-thread task (ms). */
  cpu: number[];
  /** Per frame: wall time of the same task (ms). */
  wall: number[];
  /** Per frame interval: CPU time of the other main-thread tasks (ms). */
  between: number[];
  /** Per frame: CPU time of raster tasks on the renderer's tile workers (ms). */
  raster: number[];
}

/**
 * Costs of each frame the page's renderer produced while the trace ran. Throws when the trace
 * has no frame with its CPU time: a figure must never come from an empty or partial trace.
 */
export function frameCosts(events: TraceEvent[]): FrameCosts {
  const main = pageMainThread(events);
  if (!main) throw new Error("the trace has no page main thread");
  const out: FrameCosts = { cpu: [], wall: [], between: [], raster: [] };
  const onMain = (e: TraceEvent) => e.pid === main.pid && e.tid === main.tid && e.ph === "X";
  const frames = events.filter((e) => onMain(e) && e.name === "ProxyMain::BeginMainFrame")
    .sort((a, b) => a.ts - b.ts);
  const tasks = events.filter((e) => onMain(e) && e.name === "ThreadControllerImpl::RunTask")
    .sort((a, b) => a.ts - b.ts);
  // Tile raster runs on the renderer's worker threads (ThreadPoolForegroundWorker here).
  const rasters = events.filter((e) =>
    e.pid === main.pid && e.tid !== main.tid && e.ph === "X" && e.name === "RasterTask"
  ).sort((a, b) => a.ts - b.ts);
  if (frames.length === 0) throw new Error("the trace has no frames");
  /** The task that runs frame `fr` (it starts just before the frame and ends after it). */
  const runs = (task: TraceEvent, fr: TraceEvent | undefined) =>
    fr !== undefined && task.ts <= fr.ts && task.ts + (task.dur ?? 0) >= fr.ts + (fr.dur ?? 0);
  let t = 0, r = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.tdur === undefined) throw new Error("a frame in the trace has no CPU time");
    out.cpu.push(f.tdur / 1000);
    out.wall.push((f.dur ?? 0) / 1000);
    const next = frames[i + 1];
    // Tasks from this frame's task up to the next frame, other than the two frames' own tasks.
    let other = 0;
    while (t < tasks.length && tasks[t]!.ts < (next?.ts ?? Infinity)) {
      const task = tasks[t++]!;
      if (!runs(task, f) && !runs(task, next) && task.ts >= f.ts) {
        other += task.tdur ?? task.dur ?? 0;
      }
    }
    out.between.push(other / 1000);
    let raster = 0;
    while (r < rasters.length && rasters[r]!.ts < (next?.ts ?? Infinity)) {
      const task = rasters[r++]!;
      if (task.ts >= f.ts) raster += task.tdur ?? task.dur ?? 0;
    }
    out.raster.push(raster / 1000);
  }
  return out;
}

/** Total self time per event name on the page's main thread, largest first (ms, CPU). */
export function breakdown(events: TraceEvent[], top = 25): [string, number, number][] {
  const main = pageMainThread(events);
  if (!main) return [];
  const list = events.filter((e) =>
    e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined
  ).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, [number, number]>();
  const stack: { e: TraceEvent; child: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      if (top.e.ts + (top.e.dur ?? 0) > until) break;
      stack.pop();
      const own = (top.e.tdur ?? top.e.dur ?? 0) - top.child;
      const key = top.e.name === "EventDispatch"
        ? `EventDispatch ${String(top.e.args?.data?.type)}`
        : top.e.name;
      const [sum, n] = self.get(key) ?? [0, 0];
      self.set(key, [sum + own, n + 1]);
      if (stack.length > 0) stack.at(-1)!.child += top.e.tdur ?? top.e.dur ?? 0;
    }
  };
  for (const e of list) {
    close(e.ts);
    stack.push({ e, child: 0 });
  }
  close(Infinity);
  return [...self].map(([k, [sum, n]]) => [k, sum / 1000, n] as [string, number, number])
    .sort((a, b) => b[1] - a[1]).slice(0, top);
}
