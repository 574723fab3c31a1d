/**
 * What one edit costs the room server's thread, per implementation: workload (c)'s shape
 * (100 rooms × 20 clients, 10% editing) at one fixed rate, phases of each implementation taking
 * turns for several rounds on one `partykit dev`, and the CPU time of workerd's main thread (the
 * one every room runs on) over each phase's sending window, divided by the edits sent in it.
 *
 * The rate ramp in main.ts says where each implementation stops keeping up, in 1 Hz steps; this
 * says by how much, to a few percent (the medians of interleaved rounds cancel most of this shared
 * machine's drift), so a change worth 5% of an edit's cost shows up here and not there. The flushes
 * a room sends once its clients stop (after the window) are not counted. Time the thread spends
 * blocked (a disk commit's fsync) is not CPU time and is not counted either: compare a disk run
 * with a `--tmpfs` run for that.
 *
 * Usage: deno run -A bench/rooms/cpu_per_op.ts [--impls=ours,plain] [--hz=4] [--rounds=6]
 *        [--seconds=5] [--tmpfs] [--alt=DIR]
 *   --alt=DIR adds "alt": our room built from DIR, a modified copy of party/ beside it at the
 *   repository root (`cp -r party party_alt`, edit, `--alt=party_alt`), for A/B runs against ours.
 *   Never writes results; hold the CPU lock while it runs.
 */
import { startPartyKit } from "../../test/rooms/partykit_server.ts";
import { median } from "../lib/stats.ts";
import type { RoomImpl } from "./adapters.ts";
import { spawnFakeEdge } from "./fake_edge_process.ts";
import { procStat } from "./server_usage.ts";
import { connectFleet, type Fleet, runPhase } from "./load.ts";

const option = (name: string) =>
  Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const HZ = Number(option("hz") ?? 4);
const ROUNDS = Number(option("rounds") ?? 6);
const SECONDS = Number(option("seconds") ?? 5);
/** The window starts this long into a phase, once every client's first edit is out. */
const WARMUP_S = 0.5;
const tmpfs = Deno.args.includes("--tmpfs");
const alt = option("alt");
const names = (option("impls")?.split(",") ?? ["ours", "plain"]) as RoomImpl["name"][];
if (alt && !names.includes("alt")) names.push("alt");
if (names.includes("alt") && !alt) throw new Error("--alt=DIR is needed for the alt room");
const SECRET = "bench-room-secret-0123456789abcdef";
const ROOT = new URL("../../", import.meta.url).pathname;

const edge = await spawnFakeEdge(SECRET);
const persistDir = await Deno.makeTempDir({
  prefix: "rooms-cpu-",
  ...(tmpfs ? { dir: "/dev/shm" } : {}),
});
// The bench config with absolute paths, plus the alt room when asked for.
const configPath = `${persistDir}.json`;
await Deno.writeTextFile(
  configPath,
  JSON.stringify({
    name: "movie-director-bench",
    main: `${ROOT}party/main.ts`,
    parties: {
      plain: `${ROOT}bench/rooms/plain_room.ts`,
      persist: `${ROOT}bench/rooms/persist_room.ts`,
      yjs: `${ROOT}bench/rooms/yjs_room.ts`,
      ...(alt ? { alt: `${ROOT}${alt.replace(/\/+$/, "")}/main.ts` } : {}),
    },
    compatibilityDate: "2024-07-01",
  }),
);
const server = await startPartyKit({
  vars: { ROOM_SECRET: SECRET, EDGE_URL: edge.url },
  persistDir,
  config: configPath,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(
    signal,
    () => Promise.all([server.stop(), edge.stop()]).finally(() => Deno.exit(130)),
  );
}

async function findWorkerd(): Promise<number> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const { comm, group } = await procStat(`/proc/${entry.name}/stat`);
      if (comm.includes("workerd") && group === server.pid) return Number(entry.name);
    } catch { /* ended meanwhile */ }
  }
  throw new Error("no workerd process under partykit dev");
}

const cpuMs = async (path: string) => (await procStat(path)).cpuSeconds * 1000;

interface Sample {
  mainUs: number;
  processUs: number;
  p99: number;
  lost: number;
}

const workerd = await findWorkerd();
const host = `127.0.0.1:${server.port}`;
const runId = Date.now().toString(36);
const fleets = new Map<RoomImpl["name"], Fleet>();
const samples = new Map<RoomImpl["name"], Sample[]>(names.map((n) => [n, []]));
const f0 = (n: number) => n.toFixed(0);

try {
  for (const name of names) {
    fleets.set(
      name,
      await connectFleet({
        impl: name,
        host,
        secret: SECRET,
        roomCount: 100,
        perRoom: 20,
        prefix: `${name}-cpu-${runId}`,
      }),
    );
  }
  console.log(`${HZ} Hz per editing client, ${tmpfs ? "tmpfs" : "disk"} storage`);
  console.log(["round", "impl  ", "main µs/op", "workerd µs/op", "p99 ms", "lost"].join("\t"));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so a drift over the run hits each implementation alike.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      let main0 = 0, all0 = 0, main1 = 0, all1 = 0;
      const window = (async () => {
        await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
        main0 = await cpuMs(`/proc/${workerd}/task/${workerd}/stat`);
        all0 = await cpuMs(`/proc/${workerd}/stat`);
        await new Promise((r) => setTimeout(r, (SECONDS - WARMUP_S) * 1000));
        main1 = await cpuMs(`/proc/${workerd}/task/${workerd}/stat`);
        all1 = await cpuMs(`/proc/${workerd}/stat`);
      })();
      const r = await runPhase(fleets.get(name)!, {
        active: 0.1,
        editHz: HZ,
        cursorHz: 0,
        seconds: SECONDS,
        serverPid: server.pid,
      });
      await window;
      const ops = r.sent * (SECONDS - WARMUP_S) / SECONDS;
      const sample = {
        mainUs: (main1 - main0) * 1000 / ops,
        processUs: (all1 - all0) * 1000 / ops,
        p99: r.p99,
        lost: r.lost + r.reordered,
      };
      samples.get(name)!.push(sample);
      console.log(
        [round, name.padEnd(6), f0(sample.mainUs), f0(sample.processUs), f0(r.p99), sample.lost]
          .join("\t"),
      );
    }
  }
  const plain = samples.has("plain") ? median(samples.get("plain")!.map((s) => s.mainUs)) : NaN;
  for (const [name, list] of samples) {
    const main = median(list.map((s) => s.mainUs));
    console.log(
      `median ${name}: main thread ${f0(main)} µs/op, workerd ${
        f0(median(list.map((s) => s.processUs)))
      } µs/op${
        Number.isFinite(plain) && name !== "plain" ? `, ${(main / plain).toFixed(2)}× plain` : ""
      }, p99 ${f0(median(list.map((s) => s.p99)))} ms, lost+reordered ${
        list.reduce((n, s) => n + s.lost, 0)
      }`,
    );
  }
} finally {
  for (const fleet of fleets.values()) await fleet.close();
  await server.stop();
  await edge.stop();
  await Deno.remove(persistDir, { recursive: true });
  await Deno.remove(configPath);
}
