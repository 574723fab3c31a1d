/** Writes an area's figures to bench/results/<area>.json as flat JSON with machine and date. */

export async function machine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = cpuinfo.match(/model name\s*:\s*(.+)/)?.[1]?.trim() ?? "unknown CPU";
  const cores = navigator.hardwareConcurrency;
  const memGiB = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  return `${cores}-core ${model}, ${memGiB} GiB, ${Deno.build.os} ${Deno.build.arch}, Deno ${Deno.version.deno}`;
}

export async function writeResults(area: string, figures: Record<string, number>): Promise<string> {
  const path = new URL(`../results/${area}.json`, import.meta.url);
  const body = {
    ...figures,
    machine: await machine(),
    date: new Date().toISOString().slice(0, 10),
  };
  await Deno.writeTextFile(path, JSON.stringify(body, null, 2) + "\n");
  return path.pathname;
}

/**
 * Like writeResults, for an area several benchmarks fill: only `figures`' keys change, the
 * others' figures stay (machine and date become this run's).
 */
export async function mergeResults(
  area: string,
  figures: Record<string, number>,
): Promise<string> {
  const path = new URL(`../results/${area}.json`, import.meta.url);
  const earlier = await Deno.readTextFile(path).then(
    (text) => JSON.parse(text) as Record<string, number>,
    () => ({}),
  );
  const { machine: _, date: __, ...kept } = earlier as Record<string, unknown>;
  return await writeResults(area, { ...(kept as Record<string, number>), ...figures });
}
