/**
 * Test harness: a real app on a fresh libSQL file database, plus helpers that act as a user.
 * Used by route tests here and by cross-folder tests under test/.
 */
import { openDatabase } from "../db/client.ts";
import { DEFAULT_CUT_FORMAT } from "../protocol/cut.ts";
import { cutFromGraph } from "../protocol/cut_from_graph.ts";
import type { Graph } from "../protocol/graph.ts";
import { jobs, takes } from "../db/schema/mod.ts";
import type { Database } from "../db/database.ts";
import { createApp } from "./app.ts";
import { type Config, loadConfig } from "./config.ts";
import type { AppDeps } from "./context.ts";
import { createDispatcher } from "./services/dispatcher.ts";
import { storeRevision } from "./services/graph_store.ts";
import { recordingRoomNotifier } from "./services/room_notifier.ts";
import { createBlobStore } from "./services/storage/mod.ts";

export const TEST_ROOM_SECRET = "test-room-secret-0123456789";

/** `MD_STOCK_DB_CLIENT=1`: on the stock `@libsql/client` (test/edge/stock_client_test.ts). */
const STOCK_CLIENT = Deno.env.get("MD_STOCK_DB_CLIENT") === "1";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Database;
  config: Config;
  notifier: ReturnType<typeof recordingRoomNotifier>;
  /** Everything the app was built with, for calling services directly (the reaper, claims). */
  deps: AppDeps;
  /** Moves the app's clock forward (expiry tests). */
  advance(ms: number): void;
  logs: Record<string, unknown>[];
  /** The database file, so a second app can reopen it (durability tests). */
  databaseUrl: string;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dir = await Deno.makeTempDir({ prefix: "md-edge-" });
  const databaseUrl = overrides.DATABASE_URL ?? `file:${dir}/app.db`;
  const config = loadConfig({
    ROOM_SECRET: TEST_ROOM_SECRET,
    PUBLIC_URL: "http://localhost",
    BLOB_DIR: `${dir}/blobs`,
    ...overrides,
    DATABASE_URL: databaseUrl,
  });
  const db = await openDatabase({ url: databaseUrl, stockClient: STOCK_CLIENT });
  const notifier = recordingRoomNotifier();
  let offset = 0;
  const logs: Record<string, unknown>[] = [];
  const now = () => Date.now() + offset;
  const deps: AppDeps = {
    db,
    config,
    notifier,
    storage: createBlobStore(config, now),
    dispatcher: createDispatcher(),
    now,
    // Every test request comes from one address unless it names another.
    clientAddress: (c) => c.req.header("x-test-client-address") ?? "192.0.2.1",
    log: (line) => logs.push(line),
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    config,
    notifier,
    logs,
    databaseUrl,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await tallyRequests(logs);
      db.$client.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * With `MD_REQUEST_TALLY=<file>` set (bench/security), every request a test app served is
 * appended to that file as a JSON line `{method, path, status}`, so the security figures are
 * counted from the real bad-input and authorization tests rather than restated.
 */
async function tallyRequests(logs: Record<string, unknown>[]) {
  const file = Deno.env.get("MD_REQUEST_TALLY");
  if (!file) return;
  const lines = logs.filter((l) => typeof l.method === "string" && typeof l.status === "number")
    .map((l) => JSON.stringify({ method: l.method, path: l.path, status: l.status }) + "\n");
  await Deno.writeTextFile(file, lines.join(""), { append: true });
}

/** Calls the API as a script would: JSON in, bearer token, parsed JSON out. */
export async function call(
  t: Pick<TestApp, "app">,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  // Tests read arbitrary response fields; each assertion checks what it reads.
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const response = await t.app.request(path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

let userCounter = 0;

/** Registers a fresh user and returns their id and bearer token. */
export async function signUp(t: Pick<TestApp, "app">, name = "User") {
  userCounter++;
  const email = `${name.toLowerCase().replace(/\W/g, "")}${userCounter}-${
    crypto.randomUUID().slice(0, 8)
  }@example.com`;
  const res = await call(t, "POST", "/api/auth/register", {
    body: { email, password: "correct horse battery", name },
  });
  if (res.status !== 201) {
    throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { id: res.body.user.id as string, token: res.body.token as string, email, name };
}

/** Creates a project owned by `owner` and returns its id. */
export async function createProject(
  t: Pick<TestApp, "app">,
  owner: { token: string },
  name = "Film",
) {
  const res = await call(t, "POST", "/api/projects", { token: owner.token, body: { name } });
  if (res.status !== 201) {
    throw new Error(`create project failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.project.id as string;
}

/**
 * Makes `member` a member of the project with `role` the only way there is: `owner` invites
 * their email and they accept. Each invitation comes from its own test address, so fixtures that
 * invite hundreds of people never meet the per-address invitation limit.
 */
export async function addMember(
  t: Pick<TestApp, "app">,
  projectId: string,
  owner: { token: string },
  member: { token: string; email: string },
  role: "owner" | "editor" | "reviewer",
): Promise<void> {
  const invited = await call(t, "POST", `/api/projects/${projectId}/invites`, {
    token: owner.token,
    body: { email: member.email, role },
    headers: { "x-test-client-address": crypto.randomUUID() },
  });
  if (invited.status !== 201) {
    throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  }
  const accepted = await call(t, "POST", `/api/invites/${invited.body.invite.id}/accept`, {
    token: member.token,
  });
  if (accepted.status !== 200) {
    throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
}

let takeCounter = 0;

/**
 * A finished take of `nodeId`, written straight into the database with the job that made it
 * (review tests need takes, not the queue): a 5-second video at 16 fps (80 frames) unless
 * `contentType` and `params` say otherwise. Returns the take's id.
 */
export async function insertReadyTake(
  t: Pick<TestApp, "db">,
  projectId: string,
  nodeId: string,
  options: { contentType?: string; params?: Record<string, unknown> } = {},
): Promise<string> {
  const contentType = options.contentType ?? "video/mp4";
  const params = options.params ?? { prompt: "a door", fps: 16, frames: 80 };
  const jobId = crypto.randomUUID();
  const takeId = crypto.randomUUID();
  const at = Date.now();
  await t.db.insert(jobs).values({
    id: jobId,
    projectId,
    nodeId,
    nodeType: "shot.generate",
    params,
    inputs: [],
    tier: "standard",
    requestedTier: "standard",
    allowDowngrade: false,
    backends: [],
    minVramMiB: 0,
    models: [],
    state: "succeeded",
    maxAttempts: 1,
    createdAt: at,
    updatedAt: at,
  });
  await t.db.insert(takes).values({
    id: takeId,
    projectId,
    nodeId,
    jobId,
    state: "ready",
    scene: "SC01",
    shot: "SHOT-010",
    version: 1,
    // Per-process unique, so several takes of one project never collide on their number.
    take: ++takeCounter,
    ext: contentType.split("/")[1] ?? "bin",
    contentType,
    bytes: 1,
    sha256: "0".repeat(64),
    nodeType: "shot.generate",
    tier: "standard",
    params,
    createdAt: at,
    completedAt: at,
  });
  return takeId;
}

/**
 * A project for review tests: Olga (owner), Ed (editor), Rita (reviewer), a guest who came by a
 * link as `guestName`, a video take of node `shot1` (80 frames at 16 fps) and an image take of
 * node `still`; the graph holds both nodes and a cut `main` of shot1 (`cutFrames` at 24 fps).
 */
export async function reviewProject(t: TestApp, guestName = "Cleo") {
  const owner = await signUp(t, "Olga");
  const editor = await signUp(t, "Ed");
  const reviewer = await signUp(t, "Rita");
  const id = await createProject(t, owner, "Review");
  await addMember(t, id, owner, editor, "editor");
  await addMember(t, id, owner, reviewer, "reviewer");
  const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
    token: owner.token,
    body: { label: "Client" },
  });
  const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
    body: { name: guestName },
  });
  const graph: Graph = {
    nodes: {
      shot1: { id: "shot1", type: "shot.generate", title: "Door", x: 0, y: 0, params: {} },
      still: { id: "still", type: "image.generate", title: "Still", x: 0, y: 200, params: {} },
    },
    edges: {},
  };
  const main = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
  await storeRevision(t.deps, id, {
    graph: { ...graph, cuts: { main } },
    message: "review test graph",
    authorIds: [owner.id],
  });
  const video = await insertReadyTake(t, id, "shot1");
  const image = await insertReadyTake(t, id, "still", { contentType: "image/png", params: {} });
  return {
    cutId: "main",
    cutFrames: Object.values(main.clips).reduce((n, c) => n + c.out - c.in, 0),
    id,
    owner,
    editor,
    reviewer,
    guest: { token: guest.body.token as string },
    linkId: link.body.shareLink.id as string,
    video,
    image,
  };
}
