/**
 * Room benchmark: ours vs a plain relay room (the runtime's limit), a room that stores each frame
 * before relaying it (the runtime's limit for a room that persists every op, as ours does) and
 * y-partykit (the off-the-shelf peer), one after another under the same load on one local
 * `partykit dev`. Each workload runs all four before the next, so background noise hits them
 * alike.
 * Prints a table and writes bench/results/rooms.json (not with --quick).
 *
 * Usage: deno run -A bench/rooms/main.ts [--quick] [--only=a,b,c] [--tmpfs]
 *   profiling: [--impls=ours,plain,persist,yjs] [--rates=6,8] [--all-steps] (never write results)
 *
 * In (c) a rate step that is not sustainable is run once more before the ramp stops (marked `*`).
 *
 * `--tmpfs` keeps room storage in /dev/shm, taking this machine's disk commits out of the
 * figures (ours and persist write per op); such runs do not overwrite rooms.json.
 */
import { startPartyKit } from "../../test/rooms/partykit_server.ts";
import { spawnFakeEdge } from "./fake_edge_process.ts";
import { writeResults } from "../lib/results.ts";
import { connectFleet, type PhaseOptions, type PhaseResult, runPhase } from "./load.ts";

const quick = Deno.args.includes("--quick");
const tmpfs = Deno.args.includes("--tmpfs");
/** Profiling: run every rate step even past the sustainable one. */
const allSteps = Deno.args.includes("--all-steps");
const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? ["a", "b", "c"];
const SECONDS = quick ? 3 : 10;
const STEP_SECONDS = quick ? 3 : 5;
/**
 * Edit rate per active client in workload (c), raised until delivery stops being sustainable.
 * Fine steps near the limit (one step is a sixth to a tenth of the rate there): coarser steps
 * would make the ratio between implementations a coin toss.
 */
const RATE_STEPS = Deno.args.find((a) => a.startsWith("--rates="))?.slice(8).split(",").map(
  Number,
) ?? [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16];
const SECRET = "bench-room-secret-0123456789abcdef";

const edge = await spawnFakeEdge(SECRET);
const persistDir = await Deno.makeTempDir({
  prefix: "rooms-bench-",
  ...(tmpfs ? { dir: "/dev/shm" } : {}),
});
const server = await startPartyKit({
  vars: { ROOM_SECRET: SECRET, EDGE_URL: edge.url },
  persistDir,
  config: "bench/rooms/partykit.json",
});
// An interrupted run must not leave a workerd behind (it runs in its own process group).
for (const signal of ["SIGINT", "SIGTERM", "SIGPIPE"] as const) {
  Deno.addSignalListener(
    signal,
    () => Promise.all([server.stop(), edge.stop()]).finally(() => Deno.exit(130)),
  );
}
const host = `127.0.0.1:${server.port}`;
const ALL_IMPLS = ["ours", "plain", "persist", "yjs"] as const;
const implNames = Deno.args.find((a) => a.startsWith("--impls="))?.slice(8).split(",") ??
  ALL_IMPLS;
const impls = ALL_IMPLS.filter((name) => implNames.includes(name)).map((name) => ({ name }));
type RoomImpl = typeof impls[number];
const fleet = (impl: RoomImpl, roomCount: number, perRoom: number, prefix: string) =>
  connectFleet({ impl: impl.name, host, secret: SECRET, roomCount, perRoom, prefix });
const results: Record<string, number> = {};
const lost = new Map<string, number>(impls.map((i) => [i.name, 0]));
const runId = Date.now().toString(36);

const f = (n: number, d = 1) => Number.isFinite(n) ? n.toFixed(d) : "-";
function report(workload: string, impl: RoomImpl, r: PhaseResult): void {
  lost.set(impl.name, lost.get(impl.name)! + r.lost + r.reordered);
  const cells = [
    f(r.p50),
    f(r.p99),
    f(r.deliveriesPerS, 0),
    r.lost,
    r.reordered,
    f(r.cpuPercent, 0),
    f(r.rssMiB, 0),
    f(r.clientCpuPercent, 0),
  ];
  console.log([workload.padEnd(16), impl.name.padEnd(6), ...cells].join("\t"));
}
const key = (impl: RoomImpl, metric: string) =>
  impl.name === "ours" ? `rooms.${metric}` : `rooms.${impl.name}.${metric}`;
const round = (n: number) => Math.round(n * 10) / 10;
const sustainable = (r: PhaseResult) =>
  r.delivered > 0 && r.p99 < 100 && r.lost === 0 && r.reordered === 0;

async function single(
  name: string,
  label: string,
  rooms: number,
  perRoom: number,
  o: Omit<PhaseOptions, "serverPid">,
) {
  if (!only.includes(name)) return;
  for (const impl of impls) {
    const clients = await fleet(impl, rooms, perRoom, `${impl.name}-${name}-${runId}`);
    const r = await runPhase(clients, { ...o, serverPid: server.pid });
    await clients.close();
    report(label, impl, r);
    results[key(impl, `${name}.edit_p50_ms`)] = round(r.p50);
    results[key(impl, `${name}.edit_p99_ms`)] = round(r.p99);
    results[key(impl, `${name}.deliveries_per_s`)] = Math.round(r.deliveriesPerS);
    results[key(impl, `${name}.server_cpu_percent`)] = Math.round(r.cpuPercent);
    results[key(impl, `${name}.server_rss_mib`)] = Math.round(r.rssMiB);
  }
}

try {
  console.log(
    [
      "workload".padEnd(16),
      "impl  ",
      "p50 ms",
      "p99 ms",
      "deliv/s",
      "lost",
      "reord",
      "cpu %",
      "rss MiB",
      "load cpu %",
    ].join("\t"),
  );
  await single("a", "a 1x50 cur10Hz", 1, 50, {
    active: 1,
    editHz: 1,
    cursorHz: 10,
    seconds: SECONDS,
  });
  await single("b", "b 1x200", 1, 200, { active: 1, editHz: 0.5, cursorHz: 0, seconds: SECONDS });
  for (const impl of only.includes("c") ? impls : []) {
    const clients = await fleet(impl, 100, 20, `${impl.name}-c-${runId}`);
    let best = 0;
    for (const hz of RATE_STEPS) {
      const step = () =>
        runPhase(clients, {
          active: 0.1,
          editHz: hz,
          cursorHz: 0,
          seconds: STEP_SECONDS,
          serverPid: server.pid,
        });
      let r = await step();
      report(`c 100x20 @${hz}Hz`, impl, r);
      if (hz === RATE_STEPS[0]) {
        results[key(impl, "c.edit_p99_ms")] = round(r.p99);
        results[key(impl, "c.server_rss_mib")] = Math.round(r.rssMiB);
      }
      if (!sustainable(r) && !allSteps) {
        // One step spoiled by a pause elsewhere on this shared machine (a neighbour's disk
        // flush, a GC) must not end the ramp: a rate fails when it fails twice in a row.
        // Every implementation gets the same second chance; losses count in both tries.
        r = await step();
        report(`c 100x20 @${hz}Hz*`, impl, r);
      }
      if (!sustainable(r)) {
        if (allSteps) continue;
        break;
      }
      best = Math.max(best, r.deliveriesPerS);
    }
    await clients.close();
    results[key(impl, "max_deliveries_per_s")] = Math.round(best);
    results[key(impl, "lost_ops")] = lost.get(impl.name)!;
  }
} finally {
  await server.stop();
  await edge.stop();
  await Deno.remove(persistDir, { recursive: true });
}

const complete = only.length === 3 && impls.length === ALL_IMPLS.length &&
  !allSteps &&
  !Deno.args.some((a) => a.startsWith("--rates="));
// Only a complete run on disk is recorded: storage on tmpfs leaves out the disk commits.
if (!quick && !tmpfs && complete) {
  console.log(`wrote ${await writeResults("rooms", results)}`);
}
console.log(JSON.stringify({ ...results, storage: tmpfs ? "tmpfs" : "disk" }, null, 2));
