/**
 * Fleet benchmark (issue 19), on the embedded database with the edge in-process: 200 simulated
 * agents (FakeAgent: the agent API through the whole Hono app) in 3 VRAM classes (12, 16, 24 GB)
 * and 4 studio pools, each pool chosen by its own project.
 * - claims/s: 10,000 queued jobs of mixed tiers (a third each), the high tier with a learned
 *   footprint (peaks of 15 GB, so 16 GB cards take it), claimed by every agent at once; meanwhile
 *   `/metrics` and one pool's `/scaling` are read back to back (their p95 under that load);
 *   afterwards: jobs run by an agent of a pool not allowed to run them, lost, leased twice;
 * - dispatch p99 to a waiting agent: all 200 agents in a long-poll, one job queued at a time;
 * - dispatch p99 with one waiting agent and jobs back to back;
 * - GPU-busy share with a backlog: every agent runs one job at a time for a simulated
 *   `RUN_MS` ± 25 % (completing with an upload, as agents do); the share of agent-time spent
 *   running while the backlog lasts.
 * The edge checkpoints its database log on another thread, as the deployed edge's launcher does
 * (bench/lib/background_checkpoints.ts).
 * Writes bench/results/fleet.json.
 *
 *   deno run -A bench/fleet/main.ts [--jobs 10000] [--samples 200] [--busy-s 20]
 */
import { sql } from "drizzle-orm";
import { jobRuns, jobs } from "../../db/schema/mod.ts";
import { enqueueJob } from "../../edge/services/jobs/enqueue.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../../edge/testing.ts";
import { poolsServing } from "../../edge/services/fleet/project_pools.ts";
import { agentProfile, CARD_MIB, enrollAgent, type FakeAgent } from "../../test/jobs/fake_agent.ts";
import { choosePools, studioWithPool } from "../../test/jobs/fleet_fixture.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { checkpointInBackground } from "../lib/background_checkpoints.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import type { Tier } from "../../protocol/tiers.ts";

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) || fallback : fallback;
};
const AGENTS = 200;
const POOLS = 4;
const JOBS = arg("jobs", 10_000);
const SAMPLES = arg("samples", 200);
const BUSY_S = arg("busy-s", 20);
const RUN_MS = 4000;
const METRICS_TOKEN = "bench-metrics-token".padEnd(32, "x");
const TIERS: Tier[] = ["low", "standard", "high"];
const CLASSES = [CARD_MIB.gb12, CARD_MIB.gb16, CARD_MIB.gb24];

interface Fleet {
  t: TestApp;
  admin: { id: string; token: string };
  pools: string[];
  projects: string[];
  agents: FakeAgent[];
  /** Queues one job in project `p` through the studio's HTTP route. */
  generate(p: number, tier?: Tier): Promise<string>;
  close(): Promise<void>;
}

/** 4 pools in one studio, a project choosing each, agents spread over pools and classes. */
async function fleet(agents: number, concurrency: number): Promise<Fleet> {
  const t = await createTestApp({ METRICS_TOKEN });
  const checkpoints = await checkpointInBackground(t);
  const admin = await signUp(t, "Bench");
  const pools: string[] = [];
  const projects: string[] = [];
  let studioId: string | undefined;
  for (let p = 0; p < POOLS; p++) {
    if (studioId === undefined) {
      const made = await studioWithPool(t, admin, { maxAgents: 100 });
      studioId = made.studioId;
      pools.push(made.poolId);
    } else {
      const res = await call(t, "POST", "/api/pools", {
        token: admin.token,
        body: { name: `Farm ${p}`, studioId, maxAgents: 100 },
      });
      pools.push(res.body.pool.id);
    }
    const projectId = await createProject(t, admin, `Film ${p}`);
    await saveGraph(t, projectId, graphOf([node("n1", "shot.generate", { prompt: "a door" })]));
    await choosePools(t, admin, projectId, [pools[p]!]);
    projects.push(projectId);
  }
  const enrolling = performance.now();
  const enrolled: FakeAgent[] = [];
  for (let i = 0; i < agents; i++) {
    const profile = agentProfile({ vramMiB: CLASSES[i % 3]!, concurrency });
    enrolled.push(await enrollAgent(t, admin, profile, `a${i}`, pools[(i >> 2) % POOLS]));
  }
  console.error(`${agents} agents enrolled in ${Math.round(performance.now() - enrolling)} ms`);
  return {
    t,
    admin,
    pools,
    projects,
    agents: enrolled,
    async generate(p, tier = "low") {
      const res = await call(t, "POST", `/api/projects/${projects[p]}/nodes/n1/generate`, {
        token: admin.token,
        body: { type: "shot.generate", params: { prompt: "a door" }, tier, allowDowngrade: false },
      });
      if (res.status !== 201) {
        throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body.job.id;
    },
    async close() {
      await checkpoints.stop();
      await t.close();
    },
  };
}

/** High jobs peak at 15 GB (learned: 16 GB cards take them); the others as declared. */
async function learnHighFootprint(f: Fleet) {
  await f.t.db.insert(jobRuns).values(Array.from({ length: 5 }, (_, i) => ({
    jobId: `seed-${i}`,
    footprintKey: "shot.generate:high",
    nodeType: "shot.generate",
    tier: "high" as const,
    template: "shot.generate.high",
    gpuClass: "24GB",
    poolId: f.pools[0]!,
    peakVramMiB: 15_000,
    runMs: RUN_MS,
    at: 1,
  })));
}

/** `count` queued jobs over the projects and tiers, copied from one enqueued through the service. */
async function fill(f: Fleet, count: number) {
  const templates: (typeof jobs.$inferSelect)[] = [];
  for (let p = 0; p < POOLS; p++) {
    for (const tier of TIERS) {
      const { job } = await enqueueJob(f.t.deps, {
        projectId: f.projects[p]!,
        nodeId: "n1",
        userId: f.admin.id,
        body: {
          type: "shot.generate",
          params: { prompt: "a door" },
          tier,
          allowDowngrade: false,
          priority: 0,
        },
      });
      templates.push(job);
    }
  }
  const rows = Array.from({ length: count - templates.length }, (_, i) => {
    const job = templates[i % templates.length]!;
    return {
      ...job,
      id: crypto.randomUUID(),
      createdAt: job.createdAt + i,
      updatedAt: job.createdAt + i,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await f.t.db.insert(jobs).values(rows.slice(i, i + 500));
  }
}

async function claimsUnderLoad() {
  const f = await fleet(AGENTS, 64);
  try {
    await learnHighFootprint(f);
    await fill(f, JOBS);
    console.error(`${JOBS} jobs queued`);
    const claimed: string[] = [];
    const reads: number[] = [];
    let claiming = true;
    const reader = (async () => {
      for (let i = 0; claiming; i++) {
        // One read after another, but as separate requests: let the claims' timers run between.
        await new Promise((r) => setTimeout(r, 0));
        const started = performance.now();
        const res = i % 2 === 0
          ? await call(f.t, "GET", "/metrics", { token: METRICS_TOKEN })
          : await call(f.t, "GET", `/api/pools/${f.pools[i % POOLS]}/scaling`, {
            token: METRICS_TOKEN,
          });
        if (res.status !== 200) throw new Error(`metrics: ${res.status}`);
        reads.push(performance.now() - started);
      }
    })();
    const started = performance.now();
    await Promise.all(f.agents.map(async (agent) => {
      for (let i = 0; i < 64; i++) {
        const job = await agent.claim(0);
        if (!job) return;
        claimed.push(job.id);
        if (claimed.length % 1000 === 0) console.error(`${claimed.length} claimed`);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    claiming = false;
    await reader;
    const [row] = await f.t.db.all<{ queued: number; double: number; wrong: number }>(sql`select
      (select count(*) from jobs where state = 'queued') as queued,
      (select count(*) from (select job_id from job_events where to_state = 'leased'
        group by job_id having count(*) > 1)) as double,
      (select count(*) from jobs j join agents a on a.id = j.lease_agent_id
        where a.pool_id not in (${sql.raw(poolsServing("j.project_id"))})) as wrong`);
    const distinct = new Set(claimed).size;
    return {
      claimsPerS: Math.round(claimed.length / seconds),
      claimed: claimed.length,
      stillQueued: row!.queued,
      lost: JOBS - distinct - row!.queued,
      doubleRun: claimed.length - distinct + row!.double,
      wrongPool: row!.wrong / Math.max(1, claimed.length),
      reads: summarize(reads),
    };
  } finally {
    await f.close();
  }
}

/** Queue-to-agent latency with `agents` agents all waiting in a long-poll. */
async function dispatch(agents: number, samples: number) {
  const f = await fleet(agents, 1);
  try {
    const latencies: number[] = [];
    let enqueuedAt = 0;
    let arrived: ((ms: number) => void) | null = null;
    let stop = false;
    const waiters = f.agents.map(async (agent) => {
      while (!stop) {
        const job = await agent.claim(2_000);
        if (!job) continue;
        arrived?.(performance.now() - enqueuedAt);
        const res = await agent.fail(job.id, "bench: done", false);
        if (res.status !== 200) throw new Error(`fail: ${res.status}`);
      }
    });
    for (let i = 0; i < samples; i++) {
      // Every agent waiting (the previous one back in its long-poll) before the next job.
      while (f.t.deps.dispatcher.waiting < agents) await new Promise((r) => setTimeout(r, 0));
      const got = new Promise<number>((r) => arrived = r);
      enqueuedAt = performance.now();
      // Into a project of the pools that have agents (agent i is in pool (i >> 2) % POOLS).
      await f.generate(agents >= 4 * POOLS ? i % POOLS : 0);
      latencies.push(await got);
    }
    stop = true;
    await Promise.all(waiters);
    return summarize(latencies);
  } finally {
    await f.close();
  }
}

/**
 * With a backlog, the share of agent-time spent running jobs over the `BUSY_S` window the
 * backlog lasts. Each job runs a simulated RUN_MS ± 25 % (seeded, so every run draws the same
 * times): with one fixed time, 200 agents started together finish together every cycle, and their
 * 800 upload and completion requests queue behind each other on the one thread the edge and
 * all the agents share, which no fleet of separate machines does. Completions after the window
 * (the last jobs' uploads) are not part of it: the backlog is what is measured.
 */
async function busyShare() {
  const f = await fleet(AGENTS, 1);
  try {
    await learnHighFootprint(f);
    await fill(f, Math.ceil((AGENTS * BUSY_S * 1000) / RUN_MS * 1.5));
    const runTime = seededRunTimes(19);
    let stop = false;
    let busyMs = 0;
    const started = performance.now();
    const until = started + BUSY_S * 1000;
    await Promise.all(f.agents.map(async (agent) => {
      while (!stop && performance.now() < until) {
        const job = await agent.claim(1_000);
        if (!job) continue;
        const runFrom = performance.now();
        await new Promise((r) => setTimeout(r, Math.min(runTime(), Math.max(0, until - runFrom))));
        busyMs += Math.min(performance.now(), until) - runFrom;
        const done = await agent.finishWithPeak(job, 15_000);
        if (done.status !== 200) throw new Error(`complete: ${done.status}`);
      }
    }));
    stop = true;
    return { share: busyMs / (AGENTS * (until - started)), wallMs: performance.now() - started };
  } finally {
    await f.close();
  }
}

/** Run times of RUN_MS ± 25 %, from a small seeded generator (mulberry32). */
function seededRunTimes(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    const unit = ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    return RUN_MS * (0.75 + 0.5 * unit);
  };
}

const claims = await claimsUnderLoad();
console.log(`claims: ${claims.claimsPerS}/s by ${AGENTS} agents in ${POOLS} pools`, claims);
const many = await dispatch(AGENTS, SAMPLES);
console.log(`dispatch, ${AGENTS} agents waiting (ms):`, many);
const single = await dispatch(1, SAMPLES);
console.log("dispatch, one agent waiting (ms):", single);
const busy = await busyShare();
console.log(`GPU-busy share with a backlog (${RUN_MS} ms jobs, ${BUSY_S} s):`, busy);

const path = await writeResults("fleet", {
  "fleet.claims_per_s": claims.claimsPerS,
  "fleet.dispatch_p50_ms": many.p50,
  "fleet.dispatch_p99_ms": many.p99,
  "fleet.single_dispatch_p50_ms": single.p50,
  "fleet.single_dispatch_p99_ms": single.p99,
  "fleet.wrong_pool": claims.wrongPool,
  "fleet.lost": claims.lost,
  "fleet.double_run": claims.doubleRun,
  "fleet.still_queued": claims.stillQueued,
  "fleet.metrics_p50_ms": claims.reads.p50,
  "fleet.metrics_p95_ms": claims.reads.p95,
  "fleet.gpu_busy_share": Math.round(busy.share * 10_000) / 10_000,
});
console.log(`wrote ${path}`);
