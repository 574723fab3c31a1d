/**
 * CPU time a process and all its descendants have used (the edge's launcher, `deno serve` and
 * its serving threads), from /proc. CPU per request holds still while other work on the machine
 * moves throughput and latency, so A/B comparisons on a shared machine read it first.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export async function treeCpuSeconds(rootPid: number): Promise<number> {
  const stats = new Map<number, { parent: number; cpuSeconds: number }>();
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      // Fields after the ")" that closes the command name: state, ppid, ..., utime (12th), stime.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry.name), {
        parent: Number(fields[1]),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch { /* the process ended meanwhile */ }
  }
  const inTree = (pid: number): boolean =>
    pid === rootPid || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)!.parent));
  let total = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) total += stat.cpuSeconds;
  return total;
}
