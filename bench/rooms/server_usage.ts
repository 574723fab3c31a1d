/** CPU time and memory of a process group (the partykit dev server and its workerd), from /proc. */
export interface ServerUsage {
  cpuSeconds: number;
  /** Resident memory of the group's largest process (workerd), MiB. */
  rssMiB: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A process's or thread's `/proc/…/stat`: its command name, process group and CPU time. */
export async function procStat(
  path: string,
): Promise<{ comm: string; group: number; cpuSeconds: number }> {
  const stat = await Deno.readTextFile(path);
  const close = stat.lastIndexOf(")");
  // Fields after the ")" that closes the command name: state, ppid, pgrp, ..., utime (12th), stime.
  const fields = stat.slice(close + 2).split(" ");
  return {
    comm: stat.slice(stat.indexOf("(") + 1, close),
    group: Number(fields[2]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

export async function serverUsage(groupId: number): Promise<ServerUsage> {
  let cpuSeconds = 0;
  let rssMiB = 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await procStat(`/proc/${entry.name}/stat`);
      if (stat.group !== groupId) continue;
      cpuSeconds += stat.cpuSeconds;
      const status = await Deno.readTextFile(`/proc/${entry.name}/status`);
      const rssKiB = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      rssMiB = Math.max(rssMiB, rssKiB / 1024);
    } catch { /* the process ended meanwhile */ }
  }
  return { cpuSeconds, rssMiB };
}
