/**
 * The memory a process and everything it started (the agent and its ffmpeg runs) hold, sampled
 * from /proc: the peak of their resident sizes added up, and each side's own peak.
 */

export interface TreePeaks {
  /** The largest sum seen at one sample: the process and all its descendants together. */
  totalMiB: number;
  /** The process alone. */
  rootMiB: number;
  /** Its descendants together (the ffmpeg runs). */
  childrenMiB: number;
}

export class TreeRss {
  #timer: ReturnType<typeof setInterval> | null = null;
  #peaks: TreePeaks = { totalMiB: 0, rootMiB: 0, childrenMiB: 0 };

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
