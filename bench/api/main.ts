/**
 * API benchmark: starts the real edge on a temp database, seeds 1,000 projects with graphs and
 * assets and 20 agents (each runs a job during the mixed load), then drives, with 64 keep-alive
 * connections from wrk (see wrk.ts) for a fixed time:
 * - the baseline: `/healthz`, which touches no database, so the goals can be read as ratios to
 *   what this machine serves at all in the same run;
 * - the main read routes: first all interleaved, in rounds whose medians are the headline
 *   figures, then each route alone;
 * - mixed: the read routes with agents working, one progress event (a write) per 20 reads;
 * - the main write routes, as the reads.
 * Prints requests/s and p50/p95/p99 per route, and per round the edge's CPU per request and the
 * busy shares of its two busiest threads (the serving threads); writes bench/results/api.json.
 *
 *   deno run -A bench/api/main.ts [--seconds 10] [--rounds 3] [--only baseline,read,write,mixed]
 *
 * `--only` runs the kinds named and writes no results (for comparing two versions of the code).
 */
import { startEdge } from "../../test/edge/edge_process.ts";
import { busiestThreads, treeCpuSeconds, treeThreadCpuSeconds } from "../lib/process_cpu.ts";
import { writeResults } from "../lib/results.ts";
import { median } from "../lib/stats.ts";
import { agentProfile } from "../../test/jobs/fake_agent.ts";
import { type RequestSpec, runWrk, wrkAvailable } from "./wrk.ts";

const SECONDS = Number(Deno.args[Deno.args.indexOf("--seconds") + 1] ?? 10) || 10;
const ROUNDS = Number(Deno.args[Deno.args.indexOf("--rounds") + 1] ?? 3) || 3;
const ONLY = Deno.args.includes("--only")
  ? (Deno.args[Deno.args.indexOf("--only") + 1] ?? "").split(",")
  : null;
const CONNECTIONS = 64;
/**
 * Serving threads shown per round (`deno serve --parallel`: EDGE_THREADS, 2 on this machine):
 * their busy shares tell whether the connections were spread over them.
 */
const THREADS = 2;
const PROJECTS = 1000;
const USERS = 20;
const ROOM_SECRET = "bench-room-secret-0123456789";

if (!await wrkAvailable()) {
  console.error("the API benchmark drives its load with wrk: apt-get install wrk");
  Deno.exit(2);
}
// API answers are read loosely while seeding: only ids are taken from them.
// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function api(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
) {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token ?? ROOM_SECRET}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Json : {} };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function graphOf(i: number) {
  const nodes: Json = {};
  const edges: Json = {};
  for (let n = 0; n < 12; n++) {
    nodes[`n${n}`] = {
      id: `n${n}`,
      type: "shot.generate",
      title: `Shot ${n}`,
      x: n * 240,
      y: (i % 7) * 120,
      params: { prompt: `shot ${n} of film ${i}` },
    };
    if (n > 0) {
      edges[`e${n}`] = {
        id: `e${n}`,
        from: { node: `n${n - 1}`, socket: "video" },
        to: { node: `n${n}`, socket: "reference" },
      };
    }
  }
  return { nodes, edges };
}

const dir = await Deno.makeTempDir({ prefix: "md-bench-api-" });
const edge = await startEdge({
  DATABASE_URL: `file:${dir}/app.db`,
  ROOM_SECRET,
  WEB_DIST: dir,
  ROOM_URL: "http://127.0.0.1:9",
});
try {
  console.log(`edge at ${edge.url}; seeding ${USERS} users, ${PROJECTS} projects...`);
  const users: Array<
    { token: string; projects: string[]; assets: string[]; agent: string; job: string }
  > = [];
  for (let u = 0; u < USERS; u++) {
    const reg = await api(edge.url, "POST", "/api/auth/register", "none", {
      email: `user${u}@bench.example`,
      password: "benchmark password",
      name: `User ${u}`,
    });
    users.push({ token: reg.body.token, projects: [], assets: [], agent: "", job: "" });
  }
  await pool(Array.from({ length: PROJECTS }, (_, i) => i), 16, async (i) => {
    const user = users[i % USERS]!;
    const project = await api(edge.url, "POST", "/api/projects", user.token, {
      name: `Film ${i}`,
      description: "seeded",
    });
    const id = project.body.project.id as string;
    user.projects.push(id);
    await api(edge.url, "POST", `/api/internal/projects/${id}/revisions`, null, {
      graph: graphOf(i),
      message: "seed",
    });
    for (const type of ["character", "style", "location"]) {
      const asset = await api(edge.url, "POST", `/api/projects/${id}/assets`, user.token, {
        type,
        name: `${type} ${i}`,
        params: { seed: i },
      });
      if (type === "character") user.assets.push(`${id}/${asset.body.asset.id}`);
    }
  });
  // Each user has an agent; before the mixed load, it takes a job in their first project.
  for (const user of users) {
    const enrollment = await api(edge.url, "POST", "/api/agents/enrollment-tokens", user.token);
    const enrolled = await api(edge.url, "POST", "/api/agent/v1/enroll", "none", {
      token: enrollment.body.token,
      profile: agentProfile(),
    });
    user.agent = `${enrolled.body.agentId}.${enrolled.body.secret}`;
  }
  /** Queues and claims each user's job now: a lease left without events expires in a minute. */
  const startJobs = () =>
    pool(users, 4, async (user) => {
      const queued = await api(
        edge.url,
        "POST",
        `/api/projects/${user.projects[0]}/nodes/n0/generate`,
        user.token,
        { type: "shot.generate", params: { prompt: "a door" } },
      );
      const claimed = await api(edge.url, "POST", "/api/agent/v1/claim", user.agent, {
        waitMs: 0,
      });
      user.job = claimed.body.job?.id;
      const running = user.job &&
        await api(edge.url, "POST", `/api/agent/v1/jobs/${user.job}/events`, user.agent, {
          percent: 1,
        });
      if (queued.status !== 201 || !running || running.status !== 200) {
        throw new Error(`starting a job: ${JSON.stringify([queued, running])}`);
      }
    });
  console.log("seeded; driving load");

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const json = { "content-type": "application/json" };
  /** One request per user and route for a few of their projects, routes interleaved. */
  const specsFor = (routes: Array<(u: (typeof users)[number], k: number) => RequestSpec>) => {
    const specs: RequestSpec[] = [];
    for (let k = 0; k < 5; k++) {
      for (const user of users) for (const route of routes) specs.push(route(user, k));
    }
    return specs;
  };
  const reads: Record<string, (u: (typeof users)[number], k: number) => RequestSpec> = {
    "GET /api/projects": (u) => ({
      method: "GET",
      path: "/api/projects",
      headers: bearer(u.token),
    }),
    "GET /api/projects/:id": (u, k) => ({
      method: "GET",
      path: `/api/projects/${u.projects[k]}`,
      headers: bearer(u.token),
    }),
    "GET /api/projects/:id/graph": (u, k) => ({
      method: "GET",
      path: `/api/projects/${u.projects[k]}/graph`,
      headers: bearer(u.token),
    }),
    "GET /api/projects/:id/assets": (u, k) => ({
      method: "GET",
      path: `/api/projects/${u.projects[k]}/assets`,
      headers: bearer(u.token),
    }),
  };
  const writes: Record<string, (u: (typeof users)[number], k: number) => RequestSpec> = {
    "POST /api/projects/:id/assets": (u, k) => ({
      method: "POST",
      path: `/api/projects/${u.projects[k]}/assets`,
      headers: { ...bearer(u.token), ...json },
      body: JSON.stringify({ type: "style", name: "Look {n}" }),
    }),
    "PATCH /api/projects/:id/assets/:assetId": (u, k) => {
      const [projectId, assetId] = u.assets[k]!.split("/");
      return {
        method: "PATCH",
        path: `/api/projects/${projectId}/assets/${assetId}`,
        headers: { ...bearer(u.token), ...json },
        body: '{"params": {"seed": {n}}}',
      };
    },
    "PATCH /api/projects/:id": (u, k) => ({
      method: "PATCH",
      path: `/api/projects/${u.projects[k]}`,
      headers: { ...bearer(u.token), ...json },
      body: JSON.stringify({ description: "edit {n}" }),
    }),
    "POST /api/internal/projects/:id/revisions": (u, k) => ({
      method: "POST",
      path: `/api/internal/projects/${u.projects[k]}/revisions`,
      headers: { ...bearer(ROOM_SECRET), ...json },
      body: JSON.stringify({ graph: graphOf(k), message: "bench" }),
    }),
  };

  const progress = (u: (typeof users)[number]): RequestSpec => ({
    method: "POST",
    path: `/api/agent/v1/jobs/${u.job}/events`,
    headers: { ...bearer(u.agent), ...json },
    body: '{"percent": 50, "message": "step {n}"}',
  });
  const baseline = (): RequestSpec => ({ method: "GET", path: "/healthz", headers: {} });
  /** The interleaved reads, and per user one progress event for every 20 reads. */
  const mixed = () => {
    const specs = specsFor(Object.values(reads));
    return users.flatMap((u, i) => [...specs.slice(i * 20, i * 20 + 20), progress(u)]);
  };

  const figures: Record<string, number> = {};
  let totalErrors = 0;
  const row = (
    name: string,
    r: Omit<Awaited<ReturnType<typeof runWrk>>, "requests" | "seconds"> & {
      cpuUs?: number;
      threads?: number[];
    },
  ) =>
    console.log(
      `  ${name.padEnd(44)} ${
        String(r.rps).padStart(6)
      } req/s  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  errors ${r.errors}${
        r.cpuUs === undefined ? "" : `  edge CPU ${r.cpuUs} µs/req`
      }${
        r.threads === undefined
          ? ""
          : `  busiest threads ${r.threads.map((t) => `${Math.round(t * 100)} %`).join(" / ")}`
      }`,
    );
  // Let the seeding's log checkpoint and the disk's writeback finish before measuring.
  await new Promise((r) => setTimeout(r, 3000));
  const kinds = ([
    ["baseline", { "GET /healthz": baseline }, null],
    ["read", reads, null],
    // Before the writes, which add thousands of assets to the projects the reads list.
    ["mixed", { "POST /api/agent/v1/jobs/:id/events": progress }, mixed],
    ["write", writes, null],
  ] as const).filter(([k]) => !ONLY || ONLY.includes(k));
  for (const [kind, routes, mix] of kinds) {
    const load = { connections: CONNECTIONS, seconds: SECONDS };
    if (kind === "mixed") await startJobs();
    const specs = mix ? mix() : specsFor(Object.values(routes));
    await runWrk(edge.url, specs, { ...load, seconds: 2 }); // warm-up
    console.log(
      `\n${kind}: ${CONNECTIONS} connections, routes interleaved, ${ROUNDS} rounds of ${SECONDS} s`,
    );
    // This machine's speed drifts from minute to minute: each figure is the median of rounds.
    const rounds = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const cpuBefore = await treeCpuSeconds(edge.pid);
      const threadsBefore = await treeThreadCpuSeconds(edge.pid);
      const round = await runWrk(edge.url, specs, load);
      const cpuUs = Math.round((await treeCpuSeconds(edge.pid) - cpuBefore) * 1e6 / round.requests);
      const threads = busiestThreads(
        threadsBefore,
        await treeThreadCpuSeconds(edge.pid),
        round.seconds,
        THREADS,
      );
      row(`round ${r}`, { ...round, cpuUs, threads });
      rounds.push({ ...round, cpuUs });
      totalErrors += round.errors;
    }
    const all = {
      rps: median(rounds.map((r) => r.rps)),
      p50: median(rounds.map((r) => r.p50)),
      p95: median(rounds.map((r) => r.p95)),
      p99: median(rounds.map((r) => r.p99)),
      errors: rounds.reduce((n, r) => n + r.errors, 0),
      cpuUs: median(rounds.map((r) => r.cpuUs)),
    };
    row("median", all);
    if (kind === "read" || kind === "write") {
      // wrk takes whole seconds only.
      const aloneSeconds = Math.max(1, Math.round(SECONDS / 2));
      console.log(`  each route alone, ${aloneSeconds} s:`);
      for (const [name, route] of Object.entries(routes)) {
        const alone = await runWrk(edge.url, specsFor([route]), {
          ...load,
          seconds: aloneSeconds,
        });
        row(name, alone);
        totalErrors += alone.errors;
      }
    }
    figures[`api.${kind}.p50_ms`] = all.p50;
    figures[`api.${kind}.p95_ms`] = all.p95;
    figures[`api.${kind}.p99_ms`] = all.p99;
    figures[`api.${kind}.rps`] = all.rps;
    figures[`api.${kind}.cpu_us_per_req`] = all.cpuUs;
  }
  figures["api.errors"] = totalErrors;
  if (!ONLY) console.log(`\nwrote ${await writeResults("api", figures)}`);
} finally {
  await edge.stop();
  await Deno.remove(dir, { recursive: true });
}
