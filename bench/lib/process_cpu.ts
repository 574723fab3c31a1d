/**
 * CPU time a process and all its descendants have used (the edge's launcher, `deno serve` and
 * its serving threads), from /proc. CPU per request holds still while other work on the machine
 * moves throughput and latency, so A/B comparisons on a shared machine read it first.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a /proc …/stat line, and its parent (fields after the command's ")"). */
function parseStat(stat: string): { parent: number; cpuSeconds: number } {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    parent: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

/** The process and its descendants, with each one's CPU seconds. */
async function processTree(rootPid: number): Promise<Map<number, number>> {
  const stats = new Map<number, { parent: number; cpuSeconds: number }>();
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      stats.set(Number(entry.name), parseStat(await Deno.readTextFile(`/proc/${entry.name}/stat`)));
    } catch { /* the process ended meanwhile */ }
  }
  const inTree = (pid: number): boolean =>
    pid === rootPid || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)!.parent));
  const tree = new Map<number, number>();
  for (const [pid, stat] of stats) if (inTree(pid)) tree.set(pid, stat.cpuSeconds);
  return tree;
}

export async function treeCpuSeconds(rootPid: number): Promise<number> {
  let total = 0;
  for (const seconds of (await processTree(rootPid)).values()) total += seconds;
  return total;
}

/**
 * CPU seconds of every thread in the tree, by "pid/tid". Two serving threads that share the
 * load evenly are each busy about as long; one far busier than the other means the connections
 * were not shared evenly between them (each keep-alive connection stays on the thread that
 * accepted it).
 */
export async function treeThreadCpuSeconds(rootPid: number): Promise<Map<string, number>> {
  const threads = new Map<string, number>();
  for (const pid of (await processTree(rootPid)).keys()) {
    try {
      for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
        try {
          const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/stat`);
          threads.set(`${pid}/${task.name}`, parseStat(stat).cpuSeconds);
        } catch { /* the thread ended meanwhile */ }
      }
    } catch { /* the process ended meanwhile */ }
  }
  return threads;
}

/** The `count` busiest threads between two readings, as shares of `seconds` (1 = a whole core). */
export function busiestThreads(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
  count: number,
): number[] {
  return [...after].map(([id, cpu]) => (cpu - (before.get(id) ?? 0)) / seconds)
    .sort((a, b) => b - a).slice(0, count);
}
