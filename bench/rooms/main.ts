/**
 * Room benchmark: ours vs a plain relay room (the runtime's limit) vs y-partykit (the
 * off-the-shelf peer), one after another under the same load on one local `partykit dev`.
 * Prints a table and writes bench/results/rooms.json.
 *
 * Usage: deno run -A bench/rooms/main.ts [--quick]
 */
import { emptyGraph } from "../../protocol/graph.ts";
import { startFakeEdge } from "../../test/rooms/fake_edge_server.ts";
import { startPartyKit } from "../../test/rooms/partykit_server.ts";
import { oursImpl, plainImpl, type RoomImpl, yjsImpl } from "./adapters.ts";
import { connectFleet, type PhaseResult, runPhase } from "./load.ts";

const quick = Deno.args.includes("--quick");
const SECONDS = quick ? 3 : 10;
const STEP_SECONDS = quick ? 2 : 5;
const RATE_STEPS = [0.5, 1, 2, 4, 8, 16, 32];
const SECRET = "bench-room-secret-0123456789abcdef";

const edge = startFakeEdge(SECRET, () => emptyGraph());
const persistDir = await Deno.makeTempDir({ prefix: "rooms-bench-" });
const server = await startPartyKit({
  vars: { ROOM_SECRET: SECRET, EDGE_URL: edge.url },
  persistDir,
  config: "bench/rooms/partykit.json",
});
const host = `127.0.0.1:${server.port}`;
const impls: RoomImpl[] = [oursImpl(host, SECRET), plainImpl(host), yjsImpl(host)];
const results: Record<string, number | string> = {};
const rows: string[][] = [];
const runId = Date.now().toString(36);

function row(workload: string, impl: string, r: PhaseResult): void {
  const f = (n: number, d = 1) => Number.isFinite(n) ? n.toFixed(d) : "-";
  rows.push([
    workload,
    impl,
    f(r.p50),
    f(r.p99),
    f(r.deliveriesPerS, 0),
    String(r.lost),
    String(r.reordered),
    f(r.cpuPercent, 0),
    f(r.rssMiB, 0),
  ]);
  console.log(rows.at(-1)!.join("\t"));
}

const sustainable = (r: PhaseResult) => r.p99 < 100 && r.lost === 0 && r.reordered === 0;

try {
  console.log(
    ["workload", "impl", "p50 ms", "p99 ms", "deliv/s", "lost", "reord", "cpu %", "rss MiB"].join(
      "\t",
    ),
  );
  for (const impl of impls) {
    let lost = 0;
    const a = await connectFleet(impl, 1, 50, `${impl.name}-a-${runId}`);
    const ra = await runPhase(a, {
      active: 1,
      editHz: 1,
      cursorHz: 10,
      seconds: SECONDS,
      serverPid: server.pid,
    });
    await a.close();
    row("a 1x50", impl.name, ra);
    const b = await connectFleet(impl, 1, 200, `${impl.name}-b-${runId}`);
    const rb = await runPhase(b, {
      active: 1,
      editHz: 0.5,
      cursorHz: 0,
      seconds: SECONDS,
      serverPid: server.pid,
    });
    await b.close();
    row("b 1x200", impl.name, rb);
    const c = await connectFleet(impl, 100, 20, `${impl.name}-c-${runId}`);
    let best = 0;
    let base: PhaseResult | null = null;
    for (const hz of RATE_STEPS) {
      const rc = await runPhase(c, {
        active: 0.1,
        editHz: hz,
        cursorHz: 0,
        seconds: STEP_SECONDS,
        serverPid: server.pid,
      });
      base ??= rc;
      row(`c 100x20 @${hz}Hz`, impl.name, rc);
      lost += rc.lost + rc.reordered;
      if (!sustainable(rc)) break;
      best = Math.max(best, rc.deliveriesPerS);
    }
    await c.close();
    lost += ra.lost + ra.reordered + rb.lost + rb.reordered;
    const prefix = impl.name === "ours" ? "rooms" : `rooms.${impl.name}`;
    results[`${prefix}.a.edit_p99_ms`] = round(ra.p99);
    results[`${prefix}.b.edit_p99_ms`] = round(rb.p99);
    results[`${prefix}.c.edit_p99_ms`] = round(base!.p99);
    results[`${prefix}.max_deliveries_per_s`] = Math.round(best);
    results[`${prefix}.lost_ops`] = lost;
    results[`${prefix}.a.server_cpu_percent`] = Math.round(ra.cpuPercent);
    results[`${prefix}.a.server_rss_mib`] = Math.round(ra.rssMiB);
  }
} finally {
  await server.stop();
  await edge.stop();
  await Deno.remove(persistDir, { recursive: true });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
  "unknown CPU";
results.machine = `${cpu}, ${navigator.hardwareConcurrency} cores, ${Deno.build.os}`;
results.date = new Date().toISOString();
if (!quick) {
  await Deno.mkdir(new URL("../results/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(
    new URL("../results/rooms.json", import.meta.url),
    JSON.stringify(results, null, 2) + "\n",
  );
}
console.log(JSON.stringify(results, null, 2));
