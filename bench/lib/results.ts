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

/** Writes `figures` into bench/results/<area>.json, keeping the figures of the area it holds. */
export async function mergeResults(
  area: string,
  figures: Record<string, number>,
): Promise<string> {
  const path = new URL(`../results/${area}.json`, import.meta.url);
  const previous = await Deno.readTextFile(path).then((t) => JSON.parse(t), () => ({}));
  const kept = Object.fromEntries(
    Object.entries(previous).filter(([, v]) => typeof v === "number"),
  ) as Record<string, number>;
  return await writeResults(area, { ...kept, ...figures });
}
