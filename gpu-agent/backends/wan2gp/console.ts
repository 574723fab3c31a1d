/**
 * Reads what `wgp.py --process` prints (wgp.py `process_tasks_cli`, docs/CLI.md "Console
 * Output"), chunk by chunk as it arrives:
 *
 * ```
 * [Task 1/1] A beautiful sunset over the ocean...
 * \r  [12/30] Prompt 1/1 - Denoising | Phase 2/2 Low Noise      (status lines end with \r)
 *   [ERROR] CUDA out of memory
 *   [SKIP] Task 1 failed validation: Resolution 1000x480 is not supported
 *   Task 1 completed
 * Queue completed: 1/1 tasks in 5m 23s (1 skipped)
 * ```
 *
 * Lines end with `\n` or, for the overwritten status line, `\r`; both end a line here.
 */

export type ConsoleEvent =
  | { type: "task"; task: number; tasks: number }
  | { type: "step"; step: number; total: number; message: string }
  | { type: "error"; message: string }
  | { type: "skip"; reason: string }
  | { type: "task_done"; task: number }
  | { type: "queue_done"; completed: number; tasks: number };

const PATTERNS: [RegExp, (m: RegExpMatchArray) => ConsoleEvent][] = [
  [/^\[Task (\d+)\/(\d+)\]/, (m) => ({ type: "task", task: +m[1]!, tasks: +m[2]! })],
  [/^\[(\d+)\/(\d+)\]\s*(.*)$/, (m) => ({
    type: "step",
    step: +m[1]!,
    total: +m[2]!,
    message: m[3]!.trim(),
  })],
  [/^\[ERROR\]\s*(.*)$/, (m) => ({ type: "error", message: m[1]!.trim() })],
  [/^\[SKIP\]\s*(?:Task \d+ failed validation:\s*)?(.*)$/, (m) => ({
    type: "skip",
    reason: m[1]!.trim(),
  })],
  [/^Task (\d+) completed$/, (m) => ({ type: "task_done", task: +m[1]! })],
  [/^Queue completed: (\d+)\/(\d+) tasks/, (m) => ({
    type: "queue_done",
    completed: +m[1]!,
    tasks: +m[2]!,
  })],
];

export class Wan2gpConsole {
  #partial = "";
  /** The last lines that matched nothing (library output, tracebacks), for error messages. */
  readonly tail: string[] = [];

  /** The events in `chunk`; an unfinished last line waits for the next chunk. */
  feed(chunk: string): ConsoleEvent[] {
    const lines = (this.#partial + chunk).split(/\r\n|\r|\n/);
    this.#partial = lines.pop() ?? "";
    return lines.flatMap((line) => this.#line(line));
  }

  /** The events of whatever is left when the process ends. */
  end(): ConsoleEvent[] {
    const rest = this.#partial;
    this.#partial = "";
    return this.#line(rest);
  }

  #line(raw: string): ConsoleEvent[] {
    const line = raw.trim();
    if (line === "") return [];
    for (const [pattern, event] of PATTERNS) {
      const match = line.match(pattern);
      if (match) return [event(match)];
    }
    this.tail.push(line.slice(0, 500));
    if (this.tail.length > 20) this.tail.shift();
    return [];
  }
}
