/**
 * API benchmark: starts the real edge on a temp database, seeds 1,000 projects with graphs and
 * assets, then drives the main read and write routes with 64 concurrent connections for a fixed
 * time each. Prints requests/s and p50/p95/p99 per route; writes bench/results/api.json.
 *
 *   deno run -A bench/api/main.ts [--seconds 10]
 */
import { startEdge } from "../../test/edge/edge_process.ts";
import { summarize } from "../lib/stats.ts";
import { writeResults } from "../lib/results.ts";
import { Http1Connection } from "./http1.ts";

const SECONDS = Number(Deno.args[Deno.args.indexOf("--seconds") + 1] ?? 10) || 10;
const CONNECTIONS = 64;
const PROJECTS = 1000;
const USERS = 20;
const ROOM_SECRET = "bench-room-secret-0123456789";

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

interface Target {
  route: string;
  kind: "read" | "write";
  request: (
    worker: number,
    i: number,
  ) => [method: string, path: string, token: string | null, body?: unknown];
}

/**
 * Each of the CONNECTIONS workers keeps one keep-alive connection and sends its next request as
 * soon as the last answer is in. The generator shares the machine's two cores with the edge, so
 * it uses a lean HTTP/1.1 client (http1.ts) and drains bodies without decoding them; a failed
 * request counts as an error and the worker reconnects.
 */
async function drive(base: string, targets: Target[], seconds: number) {
  const samples = new Map<string, number[]>(targets.map((t) => [t.route, []]));
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async (_, worker) => {
    let conn: Http1Connection | null = null;
    for (let i = 0; performance.now() < deadline; i++) {
      const target = targets[(worker + i) % targets.length]!;
      const [method, path, token, body] = target.request(worker, i);
      const headers: Record<string, string> = { authorization: `Bearer ${token ?? ROOM_SECRET}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      const started = performance.now();
      let status = 0;
      try {
        conn ??= await Http1Connection.open(base);
        const payload = body === undefined ? undefined : JSON.stringify(body);
        status = (await conn.request(method, path, headers, payload)).status;
      } catch {
        conn?.close();
        conn = null;
      }
      const ms = performance.now() - started;
      if (status >= 400 || status === 0) errors++;
      else samples.get(target.route)!.push(ms);
    }
    conn?.close();
  }));
  return { samples, errors };
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
  const users: Array<{ token: string; projects: string[]; assets: string[] }> = [];
  for (let u = 0; u < USERS; u++) {
    const reg = await api(edge.url, "POST", "/api/auth/register", "none", {
      email: `user${u}@bench.example`,
      password: "benchmark password",
      name: `User ${u}`,
    });
    users.push({ token: reg.body.token, projects: [], assets: [] });
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
  console.log("seeded; driving load");

  const pick = <T>(list: T[], n: number) => list[n % list.length]!;
  const userOf = (w: number) => users[w % USERS]!;
  const reads: Target[] = [
    {
      route: "GET /api/projects",
      kind: "read",
      request: (w) => ["GET", "/api/projects", userOf(w).token],
    },
    {
      route: "GET /api/projects/:id",
      kind: "read",
      request: (w, i) => ["GET", `/api/projects/${pick(userOf(w).projects, i)}`, userOf(w).token],
    },
    {
      route: "GET /api/projects/:id/graph",
      kind: "read",
      request: (
        w,
        i,
      ) => ["GET", `/api/projects/${pick(userOf(w).projects, i)}/graph`, userOf(w).token],
    },
    {
      route: "GET /api/projects/:id/assets",
      kind: "read",
      request: (
        w,
        i,
      ) => ["GET", `/api/projects/${pick(userOf(w).projects, i)}/assets`, userOf(w).token],
    },
  ];
  const writes: Target[] = [
    {
      route: "POST /api/projects/:id/assets",
      kind: "write",
      request: (
        w,
        i,
      ) => ["POST", `/api/projects/${pick(userOf(w).projects, i)}/assets`, userOf(w).token, {
        type: "style",
        name: `Look ${w}-${i}`,
      }],
    },
    {
      route: "PATCH /api/projects/:id/assets/:assetId",
      kind: "write",
      request: (w, i) => {
        const [projectId, assetId] = pick(userOf(w).assets, i * CONNECTIONS + w).split("/");
        return ["PATCH", `/api/projects/${projectId}/assets/${assetId}`, userOf(w).token, {
          params: { seed: i },
        }];
      },
    },
    {
      route: "PATCH /api/projects/:id",
      kind: "write",
      request: (
        w,
        i,
      ) => ["PATCH", `/api/projects/${pick(userOf(w).projects, i)}`, userOf(w).token, {
        description: `edit ${i}`,
      }],
    },
    {
      route: "POST /api/internal/projects/:id/revisions",
      kind: "write",
      request: (
        w,
        i,
      ) => ["POST", `/api/internal/projects/${pick(userOf(w).projects, i)}/revisions`, null, {
        graph: graphOf(i),
        message: "bench",
      }],
    },
  ];

  const figures: Record<string, number> = {};
  let totalErrors = 0;
  for (const [kind, targets] of [["read", reads], ["write", writes]] as const) {
    await drive(edge.url, targets, 1); // warm-up
    const { samples, errors } = await drive(edge.url, targets, SECONDS);
    totalErrors += errors;
    const all: number[] = [];
    console.log(`\n${kind}s: ${CONNECTIONS} connections, ${SECONDS} s`);
    for (const [route, list] of samples) {
      all.push(...list);
      const s = summarize(list);
      console.log(
        `  ${route.padEnd(44)} ${
          (list.length / SECONDS).toFixed(0).padStart(6)
        } req/s  p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms`,
      );
    }
    const s = summarize(all);
    console.log(
      `  ${"all".padEnd(44)} ${
        (all.length / SECONDS).toFixed(0).padStart(6)
      } req/s  p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  errors ${errors}`,
    );
    figures[`api.${kind}.p50_ms`] = s.p50;
    figures[`api.${kind}.p95_ms`] = s.p95;
    figures[`api.${kind}.p99_ms`] = s.p99;
    figures[`api.${kind}.rps`] = Math.round(all.length / SECONDS);
  }
  figures["api.errors"] = totalErrors;
  console.log(`\nwrote ${await writeResults("api", figures)}`);
} finally {
  await edge.stop();
  await Deno.remove(dir, { recursive: true });
}
