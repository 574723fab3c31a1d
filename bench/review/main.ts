/**
 * Review benchmark (issue 18), `deno task bench review` → bench/results/review.json:
 *
 * - `review.comment_fanout_p99_ms`: a comment POSTed to the real edge (`edge/start.ts`, its own
 *   process) until each of 50 other clients in the project's room (`partykit dev`) holds the
 *   `review.update`: the whole path, edge write, notifier, room relay. Goal < 100.
 * - `review.list_p95_ms`: `GET …/comments?takeId=` of a take with 2,000 comments (threads and
 *   replies), through the app in this process (no network). Goal < 20.
 * - `review.whats_new_p95_ms`: `GET …/whats-new` in a project with 10,000 events since the
 *   reader's marker (takes, comments, replies, decisions). Goal < 20.
 *
 * `--quick`: fewer samples, nothing written; `--no-fanout`: the two in-process figures only.
 */
import { and, asc, eq } from "drizzle-orm";
import { comments, takeDecisions } from "../../db/schema/mod.ts";
import { listCommentsJson, publicComment } from "../../edge/services/review/comments.ts";
import { newId } from "../../edge/lib/ids.ts";
import {
  addMember,
  call,
  createProject,
  createTestApp,
  insertReadyTake,
  signUp,
} from "../../edge/testing.ts";
import { startEdge } from "../../test/edge/edge_process.ts";
import { oneShot } from "../../test/jobs/graphs.ts";
import { freePort, startPartyKit } from "../../test/rooms/partykit_server.ts";
import { PROTOCOL_VERSION } from "../../protocol/canvas.ts";
import { openClient, type TestClient } from "../../test/rooms/ws_client.ts";
import { writeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";

const quick = Deno.args.includes("--quick");
const skipFanout = Deno.args.includes("--no-fanout");
const CLIENTS = 50;
const COMMENTS = quick ? 20 : 100;
const SAMPLES = quick ? 50 : 300;

async function fanout() {
  const dir = await Deno.makeTempDir({ prefix: "review-bench-" });
  const secret = crypto.randomUUID() + crypto.randomUUID();
  const edgePort = freePort(), roomPort = freePort();
  const url = `http://127.0.0.1:${edgePort}`;
  const room = await startPartyKit({
    port: roomPort,
    vars: { ROOM_SECRET: secret, EDGE_URL: url },
    persistDir: `${dir}/rooms`,
  });
  const edge = await startEdge({
    PORT: String(edgePort),
    PUBLIC_URL: url,
    DATABASE_URL: `file:${dir}/app.db`,
    ROOM_URL: `http://127.0.0.1:${roomPort}`,
    ROOM_SECRET: secret,
    BLOB_SECRET: crypto.randomUUID() + crypto.randomUUID(),
    BLOB_DIR: `${dir}/blobs`,
  });
  const clients: TestClient[] = [];
  try {
    const api = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : {};
    };
    const owner = await api("POST", "/api/auth/register", undefined, {
      email: "owner@example.com",
      password: "correct horse battery",
      name: "Owner",
    });
    const projectId = (await api("POST", "/api/projects", owner.token, { name: "Bench" }))
      .project.id as string;
    // The node the comments are on: comments name nodes of the live graph. Seeded before anyone
    // opens the room, which reads the stored graph when it wakes.
    const res = await fetch(`${url}/api/internal/projects/${projectId}/revisions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ graph: oneShot(), message: "bench", authorIds: [] }),
    });
    if (!res.ok) throw new Error(`seeding the graph: ${res.status} ${await res.text()}`);
    const link = await api("POST", `/api/projects/${projectId}/share-links`, owner.token, {});
    // 50 guests (one socket each: a person may hold 8), and the owner who comments.
    for (let i = 0; i < CLIENTS; i++) {
      const guest = await api("POST", `/api/share/${link.token}/accept`, undefined, {
        name: `Guest ${i}`,
      });
      const { ticket } = await api("GET", `/api/projects/${projectId}/ticket`, guest.token);
      const client = await openClient(
        `ws://127.0.0.1:${roomPort}/parties/main/${projectId}?ticket=${encodeURIComponent(ticket)}`,
      );
      client.send({ type: "hello", protocol: PROTOCOL_VERSION });
      await client.waitFor((m) => m.type === "welcome", 30_000);
      clients.push(client);
    }
    /** Milliseconds from the request's start until every client holds the matching message. */
    const once = async (
      send: () => Promise<unknown>,
      match: (m: Record<string, unknown>) => boolean,
    ): Promise<number[]> => {
      const seen = clients.map((c) =>
        new Promise<number>((resolve) => {
          const onMessage = (data: unknown) => {
            if (match(JSON.parse(String(data)))) {
              c.ws.off("message", onMessage);
              resolve(performance.now());
            }
          };
          c.ws.on("message", onMessage);
        })
      );
      const start = performance.now();
      await send();
      return (await Promise.all(seen)).map((at) => at - start);
    };
    const review: number[] = [];
    let author = "";
    for (let i = 0; i < COMMENTS; i++) {
      const text = `note ${i}`;
      // A fresh author every 25 comments: each person may post 30 a minute.
      if (i % 25 === 0) {
        author = (await api("POST", `/api/share/${link.token}/accept`, undefined, { name: "A" }))
          .token;
      }
      review.push(
        ...await once(
          () =>
            api("POST", `/api/projects/${projectId}/comments`, author, {
              target: { kind: "node", nodeId: "shot1" },
              body: text,
            }),
          (m) => m.type === "review.update" && (m.comment as { body?: string })?.body === text,
        ),
      );
    }
    return { review: summarize(review) };
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    await edge.stop();
    await room.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The reason `listCommentsJson` builds the JSON in SQLite: the same list read as rows through
 * Drizzle, shaped by `publicComment` and serialised (the plain way), against it, interleaved
 * in one process so the machine's drift hits both alike.
 */
async function listAB(t: Awaited<ReturnType<typeof createTestApp>>, id: string, takeId: string) {
  const rowsWay = async () => {
    const rows = await t.db.select().from(comments)
      .where(and(eq(comments.projectId, id), eq(comments.takeId, takeId)))
      .orderBy(asc(comments.createdAt), asc(comments.id));
    return JSON.stringify({ comments: rows.map(publicComment) });
  };
  const jsonWay = async () => `{"comments":${await listCommentsJson(t.deps, id, { takeId })}}`;
  if (JSON.stringify(JSON.parse(await rowsWay())) !== JSON.stringify(JSON.parse(await jsonWay()))) {
    // Same comments, same fields: key order may differ, so compare parsed and sorted.
    const norm = (text: string) =>
      JSON.stringify(JSON.parse(text).comments.map((c: object) => sortKeys(c)));
    if (norm(await rowsWay()) !== norm(await jsonWay())) throw new Error("the two lists differ");
  }
  const rows: number[] = [], json: number[] = [];
  for (let i = 0; i < (quick ? 20 : 100); i++) {
    for (const [way, into] of [[rowsWay, rows], [jsonWay, json]] as const) {
      const start = performance.now();
      await way();
      into.push(performance.now() - start);
    }
  }
  return { rows: summarize(rows), json: summarize(json) };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map((
        [k, v],
      ) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** p95 of `path` through the app, after a warm-up. */
async function timeRoute(
  t: Awaited<ReturnType<typeof createTestApp>>,
  path: string,
  token: string,
): Promise<ReturnType<typeof summarize>> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const start = performance.now();
    const res = await call(t, "GET", path, { token });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    if (i >= 20) samples.push(performance.now() - start);
  }
  return summarize(samples);
}

async function listAndNews() {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Owner");
    const reader = await signUp(t, "Reader");
    const id = await createProject(t, owner);
    await addMember(t, id, owner, reader, "reviewer");
    await call(t, "POST", `/api/projects/${id}/whats-new/read`, { token: reader.token, body: {} });
    const takeId = await insertReadyTake(t, id, "shot1");
    const base = Date.now() + 1000;
    const rows = (n: number, take: string | null, offset: number) =>
      Array.from({ length: n }, (_, i) => {
        const threadOf = i % 4 === 0 ? null : (i - (i % 4));
        return { i, threadOf, at: base + offset + i, take };
      });
    // 2,000 comments on the take: 500 threads of four (a first comment and three replies).
    const takeComments = rows(2000, takeId, 0);
    const ids = takeComments.map(() => newId());
    const insert = async (list: typeof takeComments, idsOf: string[]) => {
      for (let from = 0; from < list.length; from += 500) {
        await t.db.insert(comments).values(
          list.slice(from, from + 500).map((r) => ({
            id: idsOf[r.i]!,
            projectId: id,
            parentId: r.threadOf === null ? null : idsOf[r.threadOf]!,
            targetKind: r.take ? "take" as const : "node" as const,
            nodeId: "shot1",
            takeId: r.take,
            frame: r.take ? r.i % 80 : null,
            fps: r.take ? 16 : null,
            shape: r.take ? { kind: "rect" as const, x: 0.1, y: 0.1, w: 0.2, h: 0.2 } : null,
            authorPerson: `user:${owner.id}`,
            authorName: "Owner",
            authorRole: "owner" as const,
            body: `comment ${r.i} about the light on the door, @Reader`,
            mentions: [reader.id],
            createdAt: r.at,
          })),
        );
      }
    };
    await insert(takeComments, ids);
    const list = await timeRoute(t, `/api/projects/${id}/comments?takeId=${takeId}`, owner.token);
    const ab = await listAB(t, id, takeId);

    // 10,000 events since the reader's marker: the 2,000 above, 6,000 node comments, 1,000
    // takes and 1,000 decisions.
    const nodeComments = rows(6000, null, 10_000);
    await insert(nodeComments, nodeComments.map(() => newId()));
    const takeIds: string[] = [];
    for (let i = 0; i < 999; i++) takeIds.push(await insertReadyTake(t, id, `n${i % 50}`));
    await t.db.$client.execute({
      sql: "update takes set completed_at = ? + rowid where project_id = ?",
      args: [base, id],
    });
    for (let from = 0; from < 1000; from += 500) {
      await t.db.insert(takeDecisions).values(
        [takeId, ...takeIds].slice(from, from + 500).map((take, i) => ({
          projectId: id,
          takeId: take,
          nodeId: "shot1",
          person: `user:${owner.id}`,
          name: "Owner",
          role: "owner" as const,
          decision: "approved" as const,
          note: "",
          at: base + 20_000 + from + i,
        })),
      );
    }
    const check = await call(t, "GET", `/api/projects/${id}/whats-new`, { token: reader.token });
    if (check.body.unread !== 10_000) {
      throw new Error(`expected 10,000 events, got ${check.body.unread}`);
    }
    const news = await timeRoute(t, `/api/projects/${id}/whats-new`, reader.token);
    return { list, news, ab };
  } finally {
    await t.close();
  }
}

const { list, news, ab } = await listAndNews();
console.log(`list 2,000 comments of a take: ${JSON.stringify(list)}`);
console.log(`  the list alone, rows through Drizzle: ${JSON.stringify(ab.rows)}`);
console.log(`  the list alone, JSON built by SQLite: ${JSON.stringify(ab.json)}`);
console.log(`what's new with 10,000 events: ${JSON.stringify(news)}`);
if (skipFanout) Deno.exit(0);
const { review } = await fanout();
console.log(`comment → 50 clients: ${JSON.stringify(review)}`);
if (!quick) {
  const path = await writeResults("review", {
    "review.comment_fanout_p50_ms": review.p50,
    "review.comment_fanout_p99_ms": review.p99,
    "review.list_p50_ms": list.p50,
    "review.list_p95_ms": list.p95,
    "review.list_rows_way_p50_ms": ab.rows.p50,
    "review.list_json_way_p50_ms": ab.json.p50,
    "review.whats_new_p50_ms": news.p50,
    "review.whats_new_p95_ms": news.p95,
  });
  console.log(`wrote ${path}`);
}
