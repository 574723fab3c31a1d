/**
 * The test behind engine.ts's choice of Deno's own fetch over `dockerode`: both run the same
 * calls against the same engine, alternated, in this one process: `GET /version`; a job's
 * container cycle (create, attach, start, wait, remove) for a model that exits at once; and a
 * container printing 100,000 lines read through attach and demultiplexed.
 *
 * `deno run -A --no-lock bench/docker/dockerode_ab.ts [--rounds N]` (needs a Docker Engine and
 * busybox-static, as bench/docker/main.ts). dockerode is fetched from npm at run time and kept
 * out of the lock file and the import map: the agent does not depend on it. Prints figures;
 * writes nothing (they are in BENCHMARKS.md, "Docker").
 */
import { DockerEngine } from "../../gpu-agent/backends/docker/engine.ts";
import { LineSplitter, readLines } from "../../gpu-agent/backends/docker/log_stream.ts";
import { engine as testEngine, testImage, unavailable } from "../../test/docker/engine.ts";
import { summarize } from "../lib/stats.ts";

if (unavailable) throw new Error(unavailable);
const ROUNDS = Number(Deno.args[Deno.args.indexOf("--rounds") + 1]) || 20;
const LINES = 100_000;
const DOCKERODE = "npm:dockerode@4.0.9";

// deno-lint-ignore no-explicit-any
const Docker = (await import(DOCKERODE) as any).default;
const dockerode = new Docker({ socketPath: testEngine.socket });
const ours = new DockerEngine(testEngine.socket);
const image = await testImage();
const spec = (cmd: string[]) => ({
  Image: image,
  Entrypoint: ["model"],
  Cmd: cmd,
  AttachStdout: true,
  AttachStderr: true,
  HostConfig: { NetworkMode: "none", LogConfig: { Type: "none", Config: {} } },
});

/** A container cycle through our client; the lines it read. */
async function oursCycle(cmd: string[]): Promise<number> {
  const id = await ours.create(`ab-${crypto.randomUUID().slice(0, 8)}`, spec(cmd));
  let lines = 0;
  const reading = readLines(await ours.attach(id), () => lines++);
  await ours.start(id);
  await ours.wait(id);
  await reading;
  await ours.remove(id);
  return lines;
}

/**
 * The same cycle through dockerode (its attach hijacks the connection; demuxStream splits), its
 * output cut into lines by the agent's own splitter, so both sides decode the same text.
 */
async function dockerodeCycle(cmd: string[]): Promise<number> {
  const container = await dockerode.createContainer({
    name: `ab-${crypto.randomUUID().slice(0, 8)}`,
    ...spec(cmd),
  });
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  let lines = 0;
  const splitters = [new LineSplitter(() => lines++), new LineSplitter(() => lines++)];
  const { PassThrough } = await import("node:stream");
  const [out, err] = splitters.map((splitter) =>
    new PassThrough().on("data", (chunk: Uint8Array) => splitter.push(chunk))
  );
  container.modem.demuxStream(stream, out, err);
  const ended = new Promise((resolve) => stream.on("end", resolve));
  await container.start();
  await container.wait();
  await ended;
  for (const splitter of splitters) splitter.end();
  await container.remove({ force: true, v: true });
  return lines;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const series: Record<string, number[]> = {};
const add = (name: string, ms: number) => (series[name] ??= []).push(ms);
for (let round = 0; round < ROUNDS + 2; round++) {
  const keep = round >= 2; // two warm-up rounds
  for (const [name, cycle] of [["fetch", oursCycle], ["dockerode", dockerodeCycle]] as const) {
    const version = await time(() => name === "fetch" ? ours.version() : dockerode.version());
    const job = await time(() => cycle(["argv", "x"]));
    if (keep) {
      add(`${name} GET /version`, version);
      add(`${name} container cycle`, job);
    }
  }
}
console.log(`${ROUNDS} rounds, alternated; ms`);
for (const [name, samples] of Object.entries(series)) {
  const s = summarize(samples);
  console.log(`  ${name}: p50 ${s.p50}, p95 ${s.p95}`);
}
for (let round = 0; round < 3; round++) {
  for (const [name, cycle] of [["fetch", oursCycle], ["dockerode", dockerodeCycle]] as const) {
    let lines = 0;
    const ms = await time(async () => lines = await cycle(["spam", String(LINES)]));
    if (lines !== LINES) throw new Error(`${name} read ${lines} lines of ${LINES}`);
    console.log(
      `  ${name} ${LINES} lines: ${Math.round(ms)} ms (${Math.round(LINES / ms * 1000)}/s)`,
    );
  }
}
ours.close();
