/**
 * Job queue benchmark, on the embedded database with the edge in-process (requests go through
 * the whole Hono app: auth, validation, SQL; no sockets):
 * - claim throughput: 32 agents claiming from a full queue at once;
 * - dispatch latency: from "queue a job" (the studio's POST) to the job arriving at an agent
 *   already waiting in a long-poll; and the same for a plain agent polling once a second.
 * Writes bench/results/jobs.json.
 *
 *   deno run -A bench/jobs/main.ts [--jobs 2048] [--samples 300] [--poll-samples 20]
 */
import { sql } from "drizzle-orm";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import { benchEdge } from "./setup.ts";

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) || fallback : fallback;
};
const AGENTS = 32;
/** Each agent may hold 64 leases, so the whole queue can be claimed without completing any. */
const JOBS = Math.min(arg("jobs", AGENTS * 64), AGENTS * 64);
const SAMPLES = arg("samples", 300);
const POLL_SAMPLES = arg("poll-samples", 20);

async function claimThroughput() {
  const b = await benchEdge();
  try {
    const agents = await b.agents(AGENTS, 64);
    await b.fill(JOBS);
    const claimed: string[] = [];
    const started = performance.now();
    await Promise.all(agents.map(async (agent) => {
      // Each agent holds at most 64 leases; the queue is sized so that limit is never the stop.
      for (let i = 0; i < 64 * 4; i++) {
        const job = await agent.claim(0);
        if (!job) return;
        claimed.push(job.id);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const [row] = await b.t.db.all<{ queued: number; double: number }>(sql`select
      (select count(*) from jobs where state = 'queued') as queued,
      (select count(*) from (select job_id from job_events where to_state = 'leased' group by job_id having count(*) > 1)) as double`);
    const distinct = new Set(claimed).size;
    return {
      claimsPerS: Math.round(claimed.length / seconds),
      claimed: claimed.length,
      lost: JOBS - distinct - row!.queued,
      doubleLeased: claimed.length - distinct + row!.double,
      stillQueued: row!.queued,
    };
  } finally {
    await b.t.close();
  }
}

/** Enqueue-to-claim latency for one agent, waiting in a long-poll or polling every `pollMs`. */
async function dispatchLatency(samples: number, pollMs: number | null) {
  const b = await benchEdge();
  try {
    const [agent] = await b.agents(1, 1);
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      let enqueuedAt = 0;
      let claim: Promise<{ id: string } | null>;
      if (pollMs === null) {
        claim = agent!.claim(25_000);
        while (b.t.deps.dispatcher.waiting === 0) await new Promise((r) => setTimeout(r, 0));
        enqueuedAt = performance.now();
        await b.generate();
      } else {
        // The poller's phase relative to the enqueue is random, as it would be in life.
        const poll = (async () => {
          await new Promise((r) => setTimeout(r, Math.random() * pollMs));
          for (let tries = 0; tries < 10; tries++) {
            const job = await agent!.claim(0);
            if (job) return job;
            await new Promise((r) => setTimeout(r, pollMs));
          }
          return null;
        })();
        enqueuedAt = performance.now();
        await b.generate();
        claim = poll;
      }
      const job = await claim;
      latencies.push(performance.now() - enqueuedAt);
      if (!job) throw new Error("the job never reached the agent");
      const res = await agent!.fail(job.id, "bench: done", false);
      if (res.status !== 200) throw new Error(`fail: ${res.status}`);
    }
    return summarize(latencies);
  } finally {
    await b.t.close();
  }
}

const throughput = await claimThroughput();
console.log(
  `claims: ${throughput.claimsPerS}/s with ${AGENTS} agents over ${throughput.claimed} jobs`,
  throughput,
);
const longPoll = await dispatchLatency(SAMPLES, null);
console.log("dispatch, long-poll (ms):", longPoll);
const poll = await dispatchLatency(POLL_SAMPLES, 1000);
console.log("dispatch, 1 s polling (ms):", poll);

const path = await writeResults("jobs", {
  "jobs.claims_per_s": throughput.claimsPerS,
  "jobs.dispatch_p50_ms": longPoll.p50,
  "jobs.dispatch_p99_ms": longPoll.p99,
  "jobs.poll_1s.dispatch_p50_ms": poll.p50,
  "jobs.poll_1s.dispatch_p99_ms": poll.p99,
  "jobs.lost": throughput.lost,
  "jobs.double_leased": throughput.doubleLeased,
});
console.log(`wrote ${path}`);
