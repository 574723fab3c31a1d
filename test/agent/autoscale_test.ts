/**
 * The test plays the autoscaler (KEDA's part, deploy/keda/scaledobject.yaml): every polling
 * period it reads the pool's `GET /api/pools/:id/scaling` with the pool's scaling token, starts
 * agent processes (`run --token <reusable pool token> --exit-when-idle`) while the desired count
 * of their tier is above the running count, and stops the newest with SIGTERM (drain) while it
 * is below. A burst of jobs must be answered within one polling period, every job must run
 * exactly once (none lost, none twice), the count must not fall and rise again (an agent stopped
 * and another started in its place), and the pool must come back to its minimum.
 */
import assert from "node:assert/strict";
import { call, createProject, signUp, TEST_ROOM_SECRET } from "../../edge/testing.ts";
import { startFakeComfyUI } from "../fakes/comfyui/mod.ts";
import { choosePools, studioWithPool } from "../jobs/fleet_fixture.ts";
import { allModels } from "./agent_io.ts";
import { startEdgeServer } from "./edge_server.ts";

const AGENT_MAIN = new URL("./fleet_agent_process.ts", import.meta.url).pathname;
const POLL_MS = 500;
const JOBS = 6;

interface Child {
  process: Deno.ChildProcess;
  dirs: string[];
  exit: Promise<number>;
  output: () => string;
}

/** Starts `run --token … --exit-when-idle …` as its own process, in fresh folders. */
async function startAgent(
  serverUrl: string,
  comfyuiUrl: string,
  token: string,
  exitWhenIdleS: number,
): Promise<Child> {
  const configDir = await Deno.makeTempDir({ prefix: "md-fleet-config-" });
  const workDir = await Deno.makeTempDir({ prefix: "md-fleet-work-" });
  const setup = { configDir, workDir, comfyuiUrl, serverUrl, token, exitWhenIdleS };
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", AGENT_MAIN, JSON.stringify(setup)],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drains = [process.stdout, process.stderr].map(async (stream) => {
    for await (const chunk of stream) text = (text + decoder.decode(chunk)).slice(-16_384);
  });
  const exit = process.status.then(async (s) => {
    await Promise.all(drains);
    return s.code;
  });
  return { process, dirs: [configDir, workDir], exit, output: () => text };
}

/** Kills the agent if a failed test left it running, and removes its folders. */
async function cleanUp(child: Child): Promise<void> {
  try {
    child.process.kill("SIGKILL");
  } catch { /* exited */ }
  await child.exit;
  for (const dir of child.dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
}

Deno.test("a scaler reading /scaling starts agents for a burst, every job runs once, and it scales back", async () => {
  const edge = await startEdgeServer();
  const fake = await startFakeComfyUI({ models: allModels() });
  const children: Child[] = [];
  let stopScaler = false;
  let scaler: Promise<void> = Promise.resolve();
  try {
    const t = edge.t;
    const admin = await signUp(t, "Mira");
    const { poolId } = await studioWithPool(t, admin, {
      minAgents: 0,
      maxAgents: 3,
      targetWaitS: 5,
      scaleDownIdleS: 1,
    });
    const projectId = await createProject(t, admin);
    await choosePools(t, admin, projectId, [poolId]);
    const reusable = await call(t, "POST", `/api/pools/${poolId}/enrollment-tokens`, {
      token: admin.token,
      body: { reusable: true, days: 1 },
    });
    assert.equal(reusable.status, 201);
    const scalingToken = (await call(t, "POST", `/api/pools/${poolId}/scaling-tokens`, {
      token: admin.token,
      body: { name: "test scaler" },
    })).body.token as string;

    const start = () => startAgent(edge.url, fake.url, reusable.body.token, 30);

    // The scaler: one reading per polling period; it acts on the tier its agents are (24 GB).
    const readings: { at: number; desired: number; running: number }[] = [];
    // Stopped once (SIGTERM, as Kubernetes does): a second signal would interrupt its jobs.
    const exited = new Set<Child>();
    const stopping = new Set<Child>();
    const live = () => children.filter((c) => !exited.has(c) && !stopping.has(c));
    scaler = (async () => {
      while (!stopScaler) {
        const res = await call(t, "GET", `/api/pools/${poolId}/scaling`, { token: scalingToken });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const desired = res.body.tiers.high.desired as number;
        const running = live();
        readings.push({ at: Date.now(), desired, running: running.length });
        for (let n = running.length; n < desired; n++) {
          const child = await start();
          children.push(child);
          void child.exit.then(() => exited.add(child));
        }
        for (const child of running.slice(desired).reverse()) {
          stopping.add(child);
          child.process.kill("SIGTERM");
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    await new Promise((r) => setTimeout(r, 2 * POLL_MS));
    assert.equal(children.length, 0, "nothing queued: no agent at the minimum of 0");
    // The burst.
    const graph = {
      nodes: Object.fromEntries(Array.from({ length: JOBS }, (_, i) => [`s${i}`, {
        id: `s${i}`,
        type: "shot.generate",
        title: `s${i}`,
        x: 0,
        y: 0,
        params: { prompt: `shot ${i}` },
      }])),
      edges: {},
    };
    const saved = await call(t, "POST", `/api/internal/projects/${projectId}/revisions`, {
      token: TEST_ROOM_SECRET,
      body: { graph, message: "burst", authorIds: [admin.id] },
    });
    assert.equal(saved.status, 201);
    const burstAt = Date.now();
    const jobIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const res = await call(t, "POST", `/api/projects/${projectId}/nodes/s${i}/generate`, {
        token: admin.token,
        body: { type: "shot.generate", params: { prompt: `shot ${i}` }, tier: "high" },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      jobIds.push(res.body.job.id);
    }
    // Within one polling period of the burst (the whole burst queued in that time), agents start.
    const firstAfter = readings.find((r) => r.at >= burstAt && r.desired > 0);
    for (let i = 0; i < 100 && !readings.some((r) => r.at >= burstAt && r.desired > 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const scaledUp = firstAfter ?? readings.find((r) => r.at >= burstAt && r.desired > 0)!;
    assert.ok(scaledUp, "the scaler saw the burst");
    const enqueueMs = Date.now() - burstAt;
    assert.ok(
      scaledUp.at - burstAt <= POLL_MS + enqueueMs + 250,
      `scaled up ${scaledUp.at - burstAt} ms after the burst (poll ${POLL_MS} ms)`,
    );
    assert.equal(scaledUp.desired, 3, "capped at the pool's maximum");

    // Everything runs, once.
    const settled = async () => {
      const rows = await t.db.$client.execute({
        sql: `select state, count(*) as n from jobs where project_id = ? group by state`,
        args: [projectId],
      });
      return Object.fromEntries(rows.rows.map((r) => [String(r.state), Number(r.n)]));
    };
    for (let i = 0; i < 600; i++) {
      if ((await settled()).succeeded === JOBS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(
      await settled(),
      { succeeded: JOBS },
      children.map((c) => c.output()).join("\n---\n"),
    );
    // Each job ran once: it started running once and spent one attempt. (A job an agent was
    // leased just as the scaler drained it goes back unstarted, attempt not spent, and is
    // leased again: that is the drain losing nothing, not a second run.)
    const runs = await t.db.$client.execute({
      sql: `select job_id, count(*) as n from job_events where to_state = 'running'
        and job_id in (select id from jobs where project_id = ?) group by job_id`,
      args: [projectId],
    });
    assert.equal(runs.rows.length, JOBS);
    assert.ok(runs.rows.every((r) => Number(r.n) === 1), "no job ran twice");
    const attempts = await t.db.$client.execute({
      sql: `select count(*) as n from jobs where project_id = ? and attempt = 1`,
      args: [projectId],
    });
    assert.equal(Number(attempts.rows[0]!.n), JOBS, "each job spent one attempt");
    const takes = await t.db.$client.execute({
      sql: `select count(*) as n from takes where project_id = ? and state = 'ready'`,
      args: [projectId],
    });
    assert.equal(Number(takes.rows[0]!.n), JOBS);
    assert.ok(children.length >= 2 && children.length <= 3, `${children.length} agents started`);
    // Once the count fell, it never rose again: no agent was stopped only to be replaced (the
    // idle hold covers the burst's last jobs; an agent draining its job is not counted).
    const afterBurst = readings.filter((r) => r.at >= burstAt).map((r) => r.desired);
    const fell = afterBurst.findIndex((d, i) => i > 0 && d < afterBurst[i - 1]!);
    if (fell > 0) {
      const later = afterBurst.slice(fell);
      assert.ok(
        later.every((d, i) => i === 0 || d <= later[i - 1]!),
        `the desired count rose after falling: ${afterBurst.join(" ")}`,
      );
    }

    // Back to the minimum: after the scale-down idle time the desired count falls to 0 and
    // the scaler drains every agent; each exits 0 without holding anything.
    for (let i = 0; i < 200 && exited.size < children.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    stopScaler = true;
    await scaler;
    assert.equal(exited.size, children.length, "every agent stopped");
    assert.deepEqual(await Promise.all(children.map((c) => c.exit)), children.map(() => 0));
    assert.equal(readings.at(-1)!.desired, 0);
    const held = await t.db.$client.execute(
      `select count(*) as n from jobs where state in ('leased', 'running')`,
    );
    assert.equal(Number(held.rows[0]!.n), 0);
  } finally {
    // The scaler stops before the edge does (else it would read a closing edge).
    stopScaler = true;
    await scaler.catch(() => {});
    for (const child of children) await cleanUp(child);
    await fake.stop();
    await edge.close();
  }
});

Deno.test("--exit-when-idle: an agent finishes the job it holds, then exits 0 once idle that long", async () => {
  const edge = await startEdgeServer();
  const fake = await startFakeComfyUI({ models: allModels() });
  let child: Child | null = null;
  try {
    const t = edge.t;
    const admin = await signUp(t, "Mira");
    const projectId = await createProject(t, admin);
    const token = await call(t, "POST", "/api/agents/enrollment-tokens", { token: admin.token });
    const saved = await call(t, "POST", `/api/internal/projects/${projectId}/revisions`, {
      token: TEST_ROOM_SECRET,
      body: {
        graph: {
          nodes: {
            s1: { id: "s1", type: "shot.generate", title: "s1", x: 0, y: 0, params: {} },
          },
          edges: {},
        },
        message: "one shot",
        authorIds: [admin.id],
      },
    });
    assert.equal(saved.status, 201);
    // A run longer than the idle time: the agent must not leave while it holds the job.
    fake.behaviour.stepMs = 150;
    const job = await call(t, "POST", `/api/projects/${projectId}/nodes/s1/generate`, {
      token: admin.token,
      body: { type: "shot.generate", params: { prompt: "a door", steps: 20 }, tier: "high" },
    });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const started = Date.now();
    child = await startAgent(edge.url, fake.url, token.body.token, 2);
    const code = await child.exit;
    const row = await t.db.$client.execute({
      sql: "select state, finished_at as finishedAt from jobs where id = ?",
      args: [job.body.job.id],
    });
    assert.equal(code, 0, child.output());
    assert.equal(row.rows[0]!.state, "succeeded", "the job it held was finished first");
    const ranMs = Number(row.rows[0]!.finishedAt) - started;
    assert.ok(ranMs > 2000, `the job ran ${ranMs} ms, longer than the idle time`);
    assert.match(child.output(), /no job for 2 s: exiting/);
    // It said it was leaving: it is offline at once.
    const agents = await call(t, "GET", "/api/agents", { token: admin.token });
    assert.deepEqual(agents.body.agents.map((a: { online: boolean }) => a.online), [false]);
  } finally {
    if (child) await cleanUp(child);
    await fake.stop();
    await edge.close();
  }
});
