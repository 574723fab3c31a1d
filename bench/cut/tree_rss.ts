/**
 * The memory a process and everything it started (the agent and its ffmpeg runs) hold, sampled
 * from /proc: the peak of their resident sizes added up, and each side's own peak; and the CPU
 * time they used between the first and the last sample (a figure the other sessions sharing the
 * cores change much less than wall time).
 */

export interface TreePeaks {
  /** The largest sum seen at one sample: the process and all its descendants together. */
  totalMiB: number;
  /** The process alone. */
  rootMiB: number;
  /** Its descendants together (the ffmpeg runs). */
  childrenMiB: number;
  /** CPU seconds (user + system) of the process and its finished children between samples. */
  cpuSeconds: number;
}

export class TreeRss {
  #timer: ReturnType<typeof setInterval> | null = null;
  #peaks: TreePeaks = { totalMiB: 0, rootMiB: 0, childrenMiB: 0, cpuSeconds: 0 };
  #firstCpu: number | null = null;

  constructor(readonly pid: number) {}

  start(intervalMs = 25): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): TreePeaks {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    return { ...this.#peaks };
  }

  /** One reading now. Processes that end between two reads just count as gone. */
  sample(): void {
    const root = _rssKiB(this.pid);
    let children = 0;
    for (const pid of _descendants(this.pid)) children += _rssKiB(pid);
    const p = this.#peaks;
    const cpu = _cpuSeconds(this.pid);
    if (cpu !== null) {
      this.#firstCpu ??= cpu;
      p.cpuSeconds = Math.max(p.cpuSeconds, cpu - this.#firstCpu);
    }
    p.rootMiB = Math.max(p.rootMiB, root / 1024);
    p.childrenMiB = Math.max(p.childrenMiB, children / 1024);
    p.totalMiB = Math.max(p.totalMiB, (root + children) / 1024);
  }
}

function _rssKiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * utime + stime + cutime + cstime from /proc/<pid>/stat: the process's own CPU and that of the
 * children it has waited for (every ffmpeg run once it ended). Fields counted after the `)` that
 * ends the command name, in clock ticks of 1/100 s (Linux's USER_HZ).
 */
function _cpuSeconds(pid: number): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime is field 14 of the whole line, the 12th after the name's `)` (state is the 1st).
    const ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Children of every thread of `pid`, and theirs (`/proc/<pid>/task/<tid>/children`). */
function _descendants(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
      for (const child of text ? text.split(/\s+/).map(Number) : []) {
        out.push(child, ..._descendants(child));
      }
    }
  } catch {
    // Gone.
  }
  return out;
}
