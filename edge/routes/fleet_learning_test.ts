/**
 * Learned footprints, ETAs, `/metrics` and the scaling answer, through the API with fake agents
 * that report measured peaks, and the app's clock moved to give runs their durations.
 */
import assert from "node:assert/strict";
import { agentProfile, CARD_MIB, enrollAgent, type FakeAgent } from "../../test/jobs/fake_agent.ts";
import { choosePools, studioWithPool } from "../../test/jobs/fleet_fixture.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";

const METRICS_TOKEN = "metrics-token-".padEnd(32, "x");

async function project(t: TestApp, owner: { token: string }) {
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, graphOf([node("shot1", "shot.generate", { prompt: "a door" })]));
  const generate = async (tier: "low" | "standard" | "high", priority = 0) => {
    const res = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: {
        type: "shot.generate",
        params: { prompt: "a door" },
        tier,
        allowDowngrade: false,
        priority,
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.job;
  };
  const job = async (id: string) =>
    (await call(t, "GET", `/api/projects/${projectId}/jobs/${id}`, { token: owner.token })).body
      .job;
  return { projectId, generate, job };
}

/** The value of one series in a Prometheus exposition (failing the test when it is absent). */
function seriesValue(text: string, series: string): number {
  const found = text.split("\n").find((l) => l.startsWith(`${series} `));
  assert.ok(found, `${series} in:\n${text}`);
  return Number(found.slice(series.length + 1));
}

/** Queues and runs `n` jobs at `tier` on `agent`, each taking `ms` and peaking at `peakMiB`. */
async function runMany(
  t: TestApp,
  agent: FakeAgent,
  generate: (tier: "low" | "standard" | "high") => Promise<{ id: string }>,
  tier: "low" | "standard" | "high",
  n: number,
  ms: number,
  peakMiB: number,
) {
  for (let i = 0; i < n; i++) {
    const queued = await generate(tier);
    const claimed = await agent.claim();
    assert.equal(claimed?.id, queued.id);
    t.advance(ms);
    const done = await agent.finishWithPeak(claimed!, peakMiB);
    assert.equal(done.status, 200, JSON.stringify(done.body));
  }
}

Deno.test("after 5 measured runs a template that peaks at 13 GB is kept off 12 GB cards", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const { generate, job } = await project(t, owner);
    const big = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }), "big");
    await runMany(t, big, generate, "low", 4, 1000, 13_300);
    // Four runs are not enough: the declared 12 GB figure still holds, a 12 GB card takes it.
    const small = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb12 }), "small");
    const fourth = await generate("low");
    assert.equal(fourth.footprint.source, "declared");
    const onSmall = await small.claim();
    assert.equal(onSmall?.id, fourth.id);
    assert.equal((await small.finishWithPeak(onSmall!, 13_300)).status, 200);

    const learned = await generate("low");
    assert.equal(learned.footprint.source, "learned");
    assert.equal(learned.footprint.samples, 5);
    assert.equal(learned.footprint.p95PeakMiB, 13_300);
    assert.equal(learned.footprint.vramMiB, 13_300 + 665);
    assert.equal(await small.claim(), null, "the 12 GB card no longer gets it");
    assert.equal((await job(learned.id)).waiting.reason, "agents_busy");
    assert.equal((await big.claim())?.id, learned.id);
  } finally {
    await t.close();
  }
});

Deno.test("a tier declared at 24 GB that peaks at 15 GB runs on 16 GB cards once learned", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const { generate } = await project(t, owner);
    const big = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }), "big");
    const mid = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb16 }), "mid");
    const declared = await generate("high");
    assert.equal(await mid.claim(), null, "declared 24 GB: not for a 16 GB card");
    const first = await big.claim();
    assert.equal(first?.id, declared.id);
    t.advance(2000);
    await big.finishWithPeak(first!, 15_000);
    await runMany(t, big, generate, "high", 4, 2000, 15_000);
    const learned = await generate("high");
    assert.equal(learned.footprint.source, "learned");
    assert.equal(learned.footprint.declaredMiB, 24 * 1024 - 512);
    assert.equal((await mid.claim())?.id, learned.id);
  } finally {
    await t.close();
  }
});

Deno.test("a queued job shows its ETA: jobs ahead on the agents that can run it, learned run times", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Ada");
    const { generate, job } = await project(t, owner);
    const agent = await enrollAgent(t, owner, agentProfile({ vramMiB: CARD_MIB.gb24 }), "big");
    const unknown = await generate("standard");
    assert.match(unknown.eta.text, /0 ahead on 1 agent with 24 GB; no run time learned yet/);
    const first = await agent.claim();
    t.advance(120_000);
    await agent.finishWithPeak(first!);
    // Learned: 2 minutes a run. Two queued before ours, one agent: three runs.
    await generate("standard");
    await generate("standard");
    const ours = await generate("standard");
    assert.equal(ours.eta.ahead, 2);
    // 3 runs × 120 s (plus the real milliseconds the test took between claim and completion).
    assert.ok(ours.eta.seconds >= 360 && ours.eta.seconds <= 366, `${ours.eta.seconds} s`);
    assert.equal(ours.eta.text, "~6 min: 2 ahead on 1 agent with 24 GB");
    // Updated as the queue moves: one taken, ours is next but the only agent is busy.
    await agent.claim();
    const later = await job(ours.id);
    assert.equal(later.eta.ahead, 1);
    assert.equal(later.eta.text, "~5 min: 1 ahead on 1 agent with 24 GB");
  } finally {
    await t.close();
  }
});

Deno.test("/metrics: queue depth, agents, claims, completions and durations per pool, with the token only", async () => {
  const t = await createTestApp({ METRICS_TOKEN });
  try {
    const admin = await signUp(t, "Mira");
    const { poolId } = await studioWithPool(t, admin, { maxAgents: 5, targetWaitS: 60 });
    const { projectId, generate } = await project(t, admin);
    await choosePools(t, admin, projectId, [poolId]);
    const agent = await enrollAgent(t, admin, agentProfile(), "farm-1", poolId);
    const done = await generate("high");
    const claimed = await agent.claim();
    assert.equal(claimed?.id, done.id);
    t.advance(45_000);
    await agent.finishWithPeak(claimed!, 20_000);
    await generate("high");
    await generate("high");
    await generate("low");

    const refused = await call(t, "GET", "/metrics");
    assert.equal(refused.status, 401);
    const res = await call(t, "GET", "/metrics", { token: METRICS_TOKEN });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = res.body as string;
    const line = (series: string) => seriesValue(text, series);
    const pool = `pool="${poolId}"`;
    assert.equal(line(`md_queue_depth{${pool},tier="high"}`), 2);
    assert.equal(line(`md_queue_depth{${pool},tier="low"}`), 1);
    assert.equal(line(`md_queue_depth{${pool},tier="standard"}`), 0);
    assert.ok(line(`md_queue_oldest_age_seconds{${pool},tier="high"}`) >= 0);
    assert.equal(line(`md_agents_online{${pool},vram_class="24GB",state="idle"}`), 1);
    assert.equal(line(`md_claims_total{${pool},tier="high"}`), 1);
    assert.equal(line(`md_completions_total{${pool},tier="high"}`), 1);
    assert.equal(line(`md_job_duration_seconds_bucket{node_type="shot.generate",le="30"}`), 0);
    assert.equal(line(`md_job_duration_seconds_bucket{node_type="shot.generate",le="60"}`), 1);
    assert.equal(line(`md_job_duration_seconds_count{node_type="shot.generate"}`), 1);
    assert.match(text, /# TYPE md_job_duration_seconds histogram/);
    assert.match(text, /md_pool_info\{pool="[^"]+",name="Render Farm",kind="studio"\} 1/);

    // The scaling answer: the pool's own token works for it, and says why.
    const scalingToken = await call(t, "POST", `/api/pools/${poolId}/scaling-tokens`, {
      token: admin.token,
      body: { name: "KEDA" },
    });
    const scaling = await call(t, "GET", `/api/pools/${poolId}/scaling`, {
      token: scalingToken.body.token,
    });
    assert.equal(scaling.status, 200, JSON.stringify(scaling.body));
    // Two high jobs × 45 s over a 60 s target wait: 2 agents; one low job, no time learned: 1.
    assert.equal(scaling.body.tiers.high.desired, 2);
    assert.match(scaling.body.tiers.high.reason, /2 queued × ~45 s over a 60 s target wait → 2/);
    assert.equal(scaling.body.tiers.low.desired, 1);
    assert.match(scaling.body.tiers.low.reason, /no run time learned yet/);
    assert.equal(scaling.body.desired, 3);
  } finally {
    await t.close();
  }
});

Deno.test("/metrics and scaling count a job once per pool that may take it, and held jobs by state", async () => {
  const t = await createTestApp({ METRICS_TOKEN });
  try {
    const admin = await signUp(t, "Mira");
    const { studioId, poolId: farm } = await studioWithPool(t, admin);
    const other = await call(t, "POST", "/api/pools", {
      token: admin.token,
      body: { name: "Night Shift", studioId },
    });
    const night = other.body.pool.id as string;
    // Film 1 may run on both pools, film 2 on the night shift only.
    const film1 = await project(t, admin);
    await choosePools(t, admin, film1.projectId, [farm, night]);
    const film2 = await project(t, admin);
    await choosePools(t, admin, film2.projectId, [night]);
    const big = await enrollAgent(
      t,
      admin,
      agentProfile({ vramMiB: CARD_MIB.gb24, concurrency: 3 }),
      "big",
      farm,
    );
    const mid = await enrollAgent(t, admin, agentProfile({ vramMiB: CARD_MIB.gb16 }), "mid", night);
    for (let i = 0; i < 5; i++) await film1.generate("high");
    for (let i = 0; i < 3; i++) await film2.generate("low");
    // The farm's big card takes three of film 1's high jobs and starts one; the night shift's
    // 16 GB card takes a low job of film 2.
    const first = await big.claim();
    assert.equal((await big.event(first!.id)).status, 200);
    assert.ok(await big.claim());
    assert.ok(await big.claim());
    assert.equal((await mid.claim())?.tier, "low");

    const text = (await call(t, "GET", "/metrics", { token: METRICS_TOKEN })).body as string;
    const line = (series: string) => seriesValue(text, series);
    const at = (pool: string, rest: string) => `pool="${pool}",${rest}`;
    // Film 1's two high jobs left are work for both pools; film 2's low ones for the night only.
    assert.equal(line(`md_queue_depth{${at(farm, 'tier="high"')}}`), 2);
    assert.equal(line(`md_queue_depth{${at(night, 'tier="high"')}}`), 2);
    assert.equal(line(`md_queue_depth{${at(farm, 'tier="low"')}}`), 0);
    assert.equal(line(`md_queue_depth{${at(night, 'tier="low"')}}`), 2);
    // Held jobs count in the pool of the agent holding them, by state.
    assert.equal(line(`md_jobs_active{${at(farm, 'tier="high",state="leased"')}}`), 2);
    assert.equal(line(`md_jobs_active{${at(farm, 'tier="high",state="running"')}}`), 1);
    assert.equal(line(`md_jobs_active{${at(night, 'tier="low",state="leased"')}}`), 1);
    assert.equal(line(`md_jobs_active{${at(night, 'tier="high",state="leased"')}}`), 0);
    assert.equal(line(`md_agents_online{${at(farm, 'vram_class="24GB",state="busy"')}}`), 1);
    assert.equal(line(`md_agents_online{${at(night, 'vram_class="16GB",state="busy"')}}`), 1);

    // One pool's scaling answer sees only its own share of the same counts.
    const scaling = await call(t, "GET", `/api/pools/${night}/scaling`, { token: METRICS_TOKEN });
    assert.equal(scaling.status, 200, JSON.stringify(scaling.body));
    assert.equal(scaling.body.tiers.high.queued, 2);
    assert.equal(scaling.body.tiers.high.running, 0);
    assert.equal(scaling.body.tiers.low.queued, 2);
    assert.equal(scaling.body.tiers.low.running, 1);
    assert.equal(scaling.body.tiers.standard.agents.busy, 1);
  } finally {
    await t.close();
  }
});

Deno.test("an agent told to stop (draining) is not counted by the scaling answer, so no other starts in its place", async () => {
  const t = await createTestApp({ METRICS_TOKEN });
  try {
    const admin = await signUp(t, "Mira");
    const { poolId } = await studioWithPool(t, admin, { maxAgents: 3, scaleDownIdleS: 60 });
    const { projectId, generate } = await project(t, admin);
    await choosePools(t, admin, projectId, [poolId]);
    const profile = agentProfile();
    const busy = await enrollAgent(t, admin, profile, "farm-1", poolId);
    await enrollAgent(t, admin, profile, "farm-2", poolId);
    const job = await generate("high");
    const claimed = await busy.claim();
    assert.equal(claimed?.id, job.id);
    const scaling = async () =>
      (await call(t, "GET", `/api/pools/${poolId}/scaling`, { token: METRICS_TOKEN })).body.tiers
        .high;
    // Both online, one running: the hold keeps both.
    assert.deepEqual((await scaling()).agents, { online: 2, busy: 1, idle: 1 });
    assert.equal((await scaling()).desired, 2);
    // The autoscaler stopped farm-1 (SIGTERM): it finishes its job, claiming no more.
    const drains = await busy.call("POST", "/heartbeat", { profile, draining: true });
    assert.equal(drains.status, 200, JSON.stringify(drains.body));
    await busy.event(job.id, 60);
    const draining = await scaling();
    assert.deepEqual(draining.agents, { online: 1, busy: 0, idle: 1 }, draining.reason);
    assert.equal(draining.running, 1, "its job still runs");
    // It finishes: the hold keeps the one agent that stays, not the one leaving.
    assert.equal((await busy.finishWithPeak(claimed!)).status, 200);
    const after = await scaling();
    assert.equal(after.desired, 1, after.reason);
    // Started again with the same credentials: available again.
    await busy.heartbeat(profile);
    assert.equal((await scaling()).agents.online, 2);
  } finally {
    await t.close();
  }
});
