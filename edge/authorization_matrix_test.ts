/**
 * Every project-scoped route × {anonymous, non-member, share-link guest, reviewer, editor, owner},
 * and every route of a person's own invitations and inbox × {anonymous, guest, someone else, the
 * invited person}, and every agent route on a job × {anonymous, a person, another agent}. The
 * routes come from the app itself: a new route without an entry in REQUIRED_ROLE (or
 * PERSONAL_ROUTES, FLEET_ROUTES, AGENT_JOB_ROUTES) fails this test. A guest is a reviewer of that one project
 * who must never see members' emails.
 */
import assert from "node:assert/strict";
import { jobPreviews, takes } from "../db/schema/mod.ts";
import { DEFAULT_CUT_FORMAT } from "../protocol/cut.ts";
import { cutFromGraph } from "../protocol/cut_from_graph.ts";
import type { Role } from "../protocol/room_ticket.ts";
import { exampleText } from "../test/fixtures/workflows/mod.ts";
import { enrollAgent } from "../test/jobs/fake_agent.ts";
import { joinStudio, studioWithPool } from "../test/jobs/fleet_fixture.ts";
import { shotProject } from "../test/jobs/shot_job.ts";
import { exportOtio, serializeOtio } from "./services/cut/mod.ts";
import { createComment } from "./services/review/comments.ts";
import {
  addMember,
  call,
  createProject,
  createTestApp,
  signUp,
  TEST_ROOM_SECRET,
  type TestApp,
} from "./testing.ts";

const SDXL = await exampleText("sdxl_text_to_image.json");
const MODEL_CONFIG = {
  id: "sketch",
  title: "Sketch",
  implements: [{ nodeType: "image.generate", tiers: ["low"] }],
  image: "example/sketch:1.0",
  command: ["run", "--prompt", "{prompt}", "--out", "{outputs}"],
  outputs: [{ glob: "*.png", kind: "image" }],
  gpu: false,
  vramMiB: 0,
};

type Route = `${"GET" | "POST" | "PATCH" | "PUT" | "DELETE"} /api/projects/${string}`;

/**
 * The least role each project-scoped route needs, and a body that succeeds for that role;
 * `guests: false` where share-link guests, reviewers though they are, get the outsider's 404.
 * `notAuthor` lists who, though of the role, gets 403 on the fixture's comment (written by the
 * reviewer): only its author edits it; only its author, editors and owners resolve or delete it.
 * A route may have more rows, named `<route> [case]`, each with its own body or path values
 * (`params`: a path parameter standing for another of the fixture's values).
 */
const REQUIRED_ROLE: Record<
  Route | `${Route} [${string}]`,
  {
    role: Role;
    body?: unknown;
    guests?: false;
    notAuthor?: readonly PrincipalName[];
    params?: Record<string, string>;
  }
> = {
  "GET /api/projects/:id": { role: "reviewer" },
  "PATCH /api/projects/:id": { role: "editor", body: { description: "changed" } },
  "DELETE /api/projects/:id": { role: "owner" },
  "GET /api/projects/:id/activity": { role: "reviewer" },
  "GET /api/projects/:id/members": { role: "reviewer" },
  "PATCH /api/projects/:id/members/:userId": { role: "owner", body: { role: "editor" } },
  "DELETE /api/projects/:id/members/:userId": { role: "owner" },
  "GET /api/projects/:id/invites": { role: "owner" },
  "POST /api/projects/:id/invites": { role: "owner", body: { email: "$newcomer", role: "editor" } },
  "DELETE /api/projects/:id/invites/:inviteId": { role: "owner" },
  "GET /api/projects/:id/share-links": { role: "owner" },
  "POST /api/projects/:id/share-links": { role: "owner", body: {} },
  "DELETE /api/projects/:id/share-links/:linkId": { role: "owner" },
  "GET /api/projects/:id/assets": { role: "reviewer" },
  "POST /api/projects/:id/assets": { role: "editor", body: { type: "style", name: "Neon" } },
  "GET /api/projects/:id/assets/:assetId": { role: "reviewer" },
  "PATCH /api/projects/:id/assets/:assetId": { role: "editor", body: { name: "Renamed" } },
  "DELETE /api/projects/:id/assets/:assetId": { role: "editor" },
  "GET /api/projects/:id/assets/:assetId/versions": { role: "reviewer" },
  "POST /api/projects/:id/assets/:assetId/rollback": { role: "editor", body: { version: 1 } },
  "GET /api/projects/:id/assets/:assetId/usage": { role: "reviewer" },
  "POST /api/projects/:id/assets/:assetId/images": {
    role: "editor",
    body: { contentType: "image/png", bytes: 68 },
  },
  "POST /api/projects/:id/assets/workflows": {
    role: "editor",
    body: { name: "SDXL", nodeType: "image.generate", tier: "low", workflow: SDXL },
  },
  "GET /api/projects/:id/assets/:workflowId/workflow": { role: "reviewer" },
  "PUT /api/projects/:id/assets/:workflowId/workflow": { role: "editor", body: { tier: "high" } },
  "POST /api/projects/:id/assets/model-configs": { role: "editor", body: { config: MODEL_CONFIG } },
  "PUT /api/projects/:id/assets/:modelConfigId/model-config": {
    role: "editor",
    body: { config: { ...MODEL_CONFIG, memoryMiB: 1024 } },
  },
  "GET /api/projects/:id/graph": { role: "reviewer" },
  "GET /api/projects/:id/revisions": { role: "reviewer" },
  "GET /api/projects/:id/revisions/:revision": { role: "reviewer" },
  "POST /api/projects/:id/revisions/:revision/revert": { role: "editor" },
  "GET /api/projects/:id/structure": { role: "reviewer" },
  "GET /api/projects/:id/ticket": { role: "reviewer" },
  "POST /api/projects/:id/nodes/:nodeId/generate": {
    role: "editor",
    body: { type: "shot.generate", params: { prompt: "a red door" } },
  },
  "GET /api/projects/:id/jobs": { role: "reviewer" },
  "GET /api/projects/:id/jobs/:jobId": { role: "reviewer" },
  "GET /api/projects/:id/jobs/:jobId/preview": { role: "reviewer" },
  "GET /api/projects/:id/capabilities": { role: "reviewer" },
  "POST /api/projects/:id/jobs/:jobId/cancel": { role: "editor" },
  "POST /api/projects/:id/jobs/:jobId/retry": { role: "editor" },
  "GET /api/projects/:id/takes": { role: "reviewer" },
  "GET /api/projects/:id/selects": { role: "reviewer" },
  "PUT /api/projects/:id/nodes/:nodeId/selected-take": {
    role: "editor",
    body: { takeId: ":takeId" },
  },
  "GET /api/projects/:id/agents": { role: "reviewer", guests: false },
  "GET /api/projects/:id/pools": { role: "reviewer", guests: false },
  "PUT /api/projects/:id/pools": { role: "owner", body: { poolIds: [] } },
  "GET /api/projects/:id/cuts": { role: "reviewer" },
  "GET /api/projects/:id/cuts/:cutId/otio": { role: "reviewer" },
  "GET /api/projects/:id/cuts/:cutId/edl": { role: "reviewer" },
  "POST /api/projects/:id/cuts/:cutId/import-otio": { role: "editor", body: ":otio" },
  "POST /api/projects/:id/cuts/:cutId/render": { role: "editor" },
  "GET /api/projects/:id/comments": { role: "reviewer" },
  "POST /api/projects/:id/comments": {
    role: "reviewer",
    body: { target: { kind: "take", takeId: ":takeId", frame: 0 }, body: "Nice" },
  },
  "POST /api/projects/:id/comments [on a cut at a frame]": {
    role: "reviewer",
    body: {
      target: { kind: "cut", cutId: ":cutId", frame: 10, shape: { kind: "point", x: 0.5, y: 0.5 } },
      body: "Cut earlier",
    },
  },
  "POST /api/projects/:id/comments [on a node]": {
    role: "reviewer",
    body: { target: { kind: "node", nodeId: ":nodeId" }, body: "Wider" },
  },
  "PATCH /api/projects/:id/comments/:commentId": {
    role: "reviewer",
    body: { body: "Edited" },
    notAuthor: ["guest", "editor", "owner"],
  },
  "PUT /api/projects/:id/comments/:commentId/resolved": {
    role: "reviewer",
    body: { resolved: true },
    notAuthor: ["guest"],
  },
  "DELETE /api/projects/:id/comments/:commentId": { role: "reviewer", notAuthor: ["guest"] },
  "PATCH /api/projects/:id/comments/:commentId [a cut's]": {
    role: "reviewer",
    body: { body: "Edited" },
    notAuthor: ["guest", "editor", "owner"],
    params: { ":commentId": ":cutCommentId" },
  },
  "PUT /api/projects/:id/comments/:commentId/resolved [a cut's]": {
    role: "reviewer",
    body: { resolved: true },
    notAuthor: ["guest"],
    params: { ":commentId": ":cutCommentId" },
  },
  "DELETE /api/projects/:id/comments/:commentId [a cut's]": {
    role: "reviewer",
    notAuthor: ["guest"],
    params: { ":commentId": ":cutCommentId" },
  },
  "GET /api/projects/:id/comments/:commentId/edits": { role: "reviewer" },
  "GET /api/projects/:id/decisions": { role: "reviewer" },
  "PUT /api/projects/:id/takes/:takeId/decision": {
    role: "reviewer",
    body: { decision: "approved", note: "Lovely" },
  },
  "GET /api/projects/:id/whats-new": { role: "reviewer" },
  "POST /api/projects/:id/whats-new/read": { role: "reviewer", body: {} },
};

const PRINCIPALS = ["anonymous", "non-member", "guest", "reviewer", "editor", "owner"] as const;
type PrincipalName = typeof PRINCIPALS[number];
const RANK: Record<Role, number> = { reviewer: 1, editor: 2, owner: 3 };

function expectedStatus(
  who: PrincipalName,
  entry: { role: Role; guests?: false; notAuthor?: readonly PrincipalName[] },
): "allowed" | 401 | 403 | 404 {
  const needed = entry.role;
  if (who === "anonymous") return 401;
  if (who === "non-member" || (who === "guest" && entry.guests === false)) return 404;
  if (entry.notAuthor?.includes(who)) return 403;
  const role: Role = who === "guest" ? "reviewer" : who;
  return RANK[role] >= RANK[needed] ? "allowed" : 403;
}

/** `POST /api/… [a case]` → `POST /api/…`. */
function routeOfRow(row: string): string {
  return row.replace(/ \[.*\]$/, "");
}

function projectRoutesOf(t: TestApp): string[] {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/api/projects/:id")) continue;
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
}

/** A fresh project with one of everything a route can point at. */
async function fixture(
  t: TestApp,
  users: Record<
    "owner" | "editor" | "reviewer" | "target",
    { id: string; email: string; token: string }
  >,
) {
  const id = await createProject(t, users.owner, "Matrix");
  for (const who of ["editor", "reviewer", "target"] as const) {
    const role = who === "target" ? "reviewer" : who;
    await addMember(t, id, users.owner, users[who], role);
  }
  const asset = await call(t, "POST", `/api/projects/${id}/assets`, {
    token: users.owner.token,
    body: { type: "character", name: "Rey" },
  });
  const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
    token: users.owner.token,
    body: {},
  });
  const workflow = await call(t, "POST", `/api/projects/${id}/assets/workflows`, {
    token: users.owner.token,
    body: { name: "SDXL", nodeType: "image.generate", tier: "low", workflow: SDXL },
  });
  const modelConfig = await call(t, "POST", `/api/projects/${id}/assets/model-configs`, {
    token: users.owner.token,
    body: { config: MODEL_CONFIG },
  });
  const shot = {
    id: "shot1",
    type: "shot.generate",
    title: "Shot",
    x: 0,
    y: 0,
    params: { prompt: "door" },
  };
  const cut = cutFromGraph({ nodes: { shot1: shot }, edges: {} }, {
    id: "main",
    name: "Main",
    format: DEFAULT_CUT_FORMAT,
  });
  await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
    headers: { authorization: `Bearer ${TEST_ROOM_SECRET}` },
    body: { graph: { nodes: { shot1: shot }, edges: {}, cuts: { main: cut } } },
  });
  // A canceled job: cancel (again) and retry both succeed on it.
  const job = await call(t, "POST", `/api/projects/${id}/nodes/shot1/generate`, {
    token: users.owner.token,
    body: { type: "shot.generate", params: { prompt: "door" } },
  });
  await call(t, "POST", `/api/projects/${id}/jobs/${job.body.job.id}/cancel`, {
    token: users.owner.token,
  });
  const invite = await call(t, "POST", `/api/projects/${id}/invites`, {
    token: users.owner.token,
    body: { email: `pending-${crypto.randomUUID()}@example.com`, role: "reviewer" },
    headers: { "x-test-client-address": crypto.randomUUID() },
  });
  // A preview frame it sent before the cancel, for the preview route to serve.
  await t.deps.db.insert(jobPreviews).values({
    jobId: job.body.job.id,
    contentType: "image/png",
    base64: "iVBORw0KGgo=",
    at: 1,
  });
  // A finished take of the node, to be selected.
  const takeId = crypto.randomUUID();
  await t.deps.db.insert(takes).values({
    id: takeId,
    projectId: id,
    nodeId: "shot1",
    jobId: job.body.job.id,
    state: "ready",
    scene: "SC01",
    shot: "SHOT-010",
    version: 1,
    take: 1,
    ext: "mp4",
    contentType: "video/mp4",
    bytes: 1,
    sha256: "0".repeat(64),
    nodeType: "shot.generate",
    tier: "standard",
    params: {},
    createdAt: 1,
    completedAt: 1,
  });
  // Through a second link, so revoking the fixture's link (a route under test) keeps this guest.
  const guestLink = await call(t, "POST", `/api/projects/${id}/share-links`, {
    token: users.owner.token,
    body: { label: "For the guest" },
  });
  const guest = await call(t, "POST", `/api/share/${guestLink.body.token}/accept`, {
    body: { name: "Guest" },
  });
  // The reviewer's comment on the take, for the routes of one comment (through the service: the
  // route's per-person rate limit would refuse a fixture made this many times).
  const comment = await createComment(t.deps, id, {
    person: `user:${users.reviewer.id}`,
    name: "Reviewer",
    role: "reviewer",
  }, { target: { kind: "take", takeId, frame: 3 }, body: "Too dark" });
  const cutComment = await createComment(t.deps, id, {
    person: `user:${users.reviewer.id}`,
    name: "Reviewer",
    role: "reviewer",
  }, { target: { kind: "cut", cutId: "main", frame: 5 }, body: "Hold longer" });
  return {
    ":commentId": comment.id,
    ":cutCommentId": cutComment.id,
    guestToken: guest.body.token as string,
    ":id": id,
    ":assetId": asset.body.asset.id as string,
    ":workflowId": workflow.body.asset.id as string,
    ":modelConfigId": modelConfig.body.asset.id as string,
    ":linkId": link.body.shareLink.id as string,
    ":userId": users.target.id,
    ":revision": "1",
    ":nodeId": "shot1",
    ":jobId": job.body.job.id as string,
    ":inviteId": invite.body.invite.id as string,
    ":takeId": takeId,
    ":cutId": "main",
    // The cut as an OpenTimelineIO file, for the import to take back.
    ":otio": serializeOtio(exportOtio(cut, new Map())),
  } as Record<string, string>;
}

Deno.test("every project-scoped route has an entry in the authorization matrix", async () => {
  const t = await createTestApp();
  try {
    const missing = projectRoutesOf(t).filter((r) => !(r in REQUIRED_ROLE));
    assert.deepEqual(missing, [], "add these routes to REQUIRED_ROLE");
    const stale = Object.keys(REQUIRED_ROLE).map(routeOfRow)
      .filter((r) => !projectRoutesOf(t).includes(r));
    assert.deepEqual(stale, [], "these matrix entries no longer match a route");
  } finally {
    await t.close();
  }
});

Deno.test("each route answers each kind of caller as its required role says", async () => {
  const t = await createTestApp();
  try {
    const users = {
      owner: await signUp(t, "Owner"),
      editor: await signUp(t, "Editor"),
      reviewer: await signUp(t, "Reviewer"),
      outsider: await signUp(t, "Outsider"),
      target: await signUp(t, "Target"),
    };
    const emails = Object.values(users).map((u) => u.email);
    const failures: string[] = [];
    const routes = projectRoutesOf(t);
    // Each route's rows (reported by the test above where a route has none).
    const rows = Object.entries(REQUIRED_ROLE).filter(([row]) => routes.includes(routeOfRow(row)));
    for (const [route, entry] of rows) {
      const [method, pattern] = routeOfRow(route).split(" ") as [string, string];
      let params = await fixture(t, users);
      for (const who of PRINCIPALS) {
        // A successful write may delete or change what the next caller needs: start afresh.
        if (method !== "GET") params = await fixture(t, users);
        const path = pattern.replace(/:\w+/g, (p) => params[entry.params?.[p] ?? p] ?? p);
        const token = who === "anonymous"
          ? undefined
          : who === "non-member"
          ? users.outsider.token
          : who === "guest"
          ? params.guestToken
          : users[who].token;
        let body = entry.body;
        // Values written as a path parameter (":takeId") stand for the fixture's.
        if (body) {
          body = JSON.parse(
            JSON.stringify(body).replace(/":\w+"/g, (p) => JSON.stringify(params[p.slice(1, -1)])),
          );
        }
        if (body && JSON.stringify(body).includes("$newcomer")) {
          body = { ...(body as object), email: (await signUp(t, "Newcomer")).email };
        }
        const res = await call(t, method, path, {
          ...(token ? { token } : {}),
          ...(body ? { body } : {}),
        });
        const expected = expectedStatus(who, entry);
        const ok = expected === "allowed"
          ? res.status >= 200 && res.status < 300
          : res.status === expected;
        if (!ok) {
          failures.push(
            `${route} as ${who}: expected ${expected}, got ${res.status} ${
              JSON.stringify(res.body)
            }`,
          );
        }
        if (res.status >= 400) {
          assert.equal(typeof res.body?.error?.code, "string", `${route}: JSON error body`);
        }
        const text = JSON.stringify(res.body);
        if (who === "guest" && emails.some((email) => text.includes(email))) {
          failures.push(`${route} as guest: shows a member's email: ${text}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  } finally {
    await t.close();
  }
});

Deno.test("guests see members' names and roles; members also see their emails", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Owner");
    const reviewer = await signUp(t, "Reviewer");
    const id = await createProject(t, owner, "Names");
    await addMember(t, id, owner, reviewer, "reviewer");
    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: owner.token,
      body: {},
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} });
    const asGuest = await call(t, "GET", `/api/projects/${id}/members`, {
      token: guest.body.token,
    });
    assert.equal(asGuest.status, 200);
    assert.deepEqual(
      asGuest.body.members.map((m: Record<string, unknown>) => Object.keys(m).sort()),
      [["createdAt", "name", "role", "userId"], ["createdAt", "name", "role", "userId"]],
    );
    assert.deepEqual(asGuest.body.members.map((m: { name: string }) => m.name), [
      "Owner",
      "Reviewer",
    ]);
    const asMember = await call(t, "GET", `/api/projects/${id}/members`, {
      token: reviewer.token,
    });
    assert.deepEqual(asMember.body.members.map((m: { email: string }) => m.email), [
      owner.email,
      reviewer.email,
    ]);
  } finally {
    await t.close();
  }
});

/**
 * Routes about the caller's own invitations and inbox, and what each kind of caller gets: only
 * signed-in people, and of an invitation only the person it names; anyone else gets the 404 a
 * missing one gets.
 */
const PERSONAL_ROUTES: Record<
  string,
  Record<"anonymous" | "guest" | "stranger" | "invitee", number>
> = {
  "GET /api/invites": { anonymous: 401, guest: 401, stranger: 200, invitee: 200 },
  "POST /api/invites/:inviteId/accept": { anonymous: 401, guest: 401, stranger: 404, invitee: 200 },
  "POST /api/invites/:inviteId/decline": {
    anonymous: 401,
    guest: 401,
    stranger: 404,
    invitee: 204,
  },
  "GET /api/inbox/ticket": { anonymous: 401, guest: 401, stranger: 200, invitee: 200 },
  "GET /api/inbox/mentions": { anonymous: 401, guest: 401, stranger: 200, invitee: 200 },
};

function personalRoutesOf(t: TestApp): string[] {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === "ALL" || !/^\/api\/(invites|inbox)(\/|$)/.test(r.path)) continue;
    seen.add(`${r.method} ${r.path.replace(/\/$/, "")}`);
  }
  return [...seen].sort();
}

Deno.test("a person's invitations and inbox: only they may read or answer them", async () => {
  const t = await createTestApp();
  try {
    assert.deepEqual(personalRoutesOf(t), Object.keys(PERSONAL_ROUTES).sort());
    const owner = await signUp(t, "Owner");
    const invitee = await signUp(t, "Invitee");
    const stranger = await signUp(t, "Stranger");
    const failures: string[] = [];
    for (const route of personalRoutesOf(t)) {
      const [method, pattern] = route.split(" ") as [string, string];
      for (const [who, expected] of Object.entries(PERSONAL_ROUTES[route]!)) {
        const id = await createProject(t, owner, "Personal");
        const sent = await call(t, "POST", `/api/projects/${id}/invites`, {
          token: owner.token,
          body: { email: invitee.email, role: "editor" },
        });
        const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
          token: owner.token,
          body: {},
        });
        const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} });
        const token = who === "anonymous"
          ? undefined
          : who === "guest"
          ? guest.body.token as string
          : who === "stranger"
          ? stranger.token
          : invitee.token;
        const res = await call(t, method, pattern.replace(":inviteId", sent.body.invite.id), {
          ...(token ? { token } : {}),
        });
        if (res.status !== expected) {
          failures.push(`${route} as ${who}: expected ${expected}, got ${res.status}`);
        }
        if (who !== "invitee" && JSON.stringify(res.body ?? "").includes(sent.body.invite.id)) {
          failures.push(`${route} as ${who}: shows someone else's invitation`);
        }
        // Decline and accept end the invitation; revoke what is left so the next caller starts clean.
        await call(t, "DELETE", `/api/projects/${id}/invites/${sent.body.invite.id}`, {
          token: owner.token,
        });
      }
    }
    assert.deepEqual(failures, []);
  } finally {
    await t.close();
  }
});

/**
 * Studio and pool routes × {anonymous, outsider, studio member, studio admin}: outsiders get the
 * 404 a missing studio or pool gets, members may see and use but not manage (403), admins may.
 * The scaling answer and `/metrics` take a metrics or scaling token, never a session (401).
 * A route under /api/studios or /api/pools without an entry fails this test.
 */
const FLEET_ROUTES: Record<
  string,
  { body?: unknown; expect: Record<"anonymous" | "outsider" | "member" | "admin", number> }
> = {
  "GET /api/studios": { expect: { anonymous: 401, outsider: 200, member: 200, admin: 200 } },
  "POST /api/studios": {
    body: { name: "Another" },
    expect: { anonymous: 401, outsider: 201, member: 201, admin: 201 },
  },
  "POST /api/studios/join": {
    body: { code: ":code" },
    expect: { anonymous: 401, outsider: 200, member: 200, admin: 200 },
  },
  "POST /api/studios/:studioId/join-code": {
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 201 },
  },
  "PATCH /api/studios/:studioId/members/:userId": {
    body: { role: "admin" },
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 204 },
  },
  "DELETE /api/studios/:studioId/members/:userId": {
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 204 },
  },
  "GET /api/pools": { expect: { anonymous: 401, outsider: 200, member: 200, admin: 200 } },
  "POST /api/pools": {
    body: { name: "Second Farm", studioId: ":studioId" },
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 201 },
  },
  "GET /api/pools/:poolId": { expect: { anonymous: 401, outsider: 404, member: 200, admin: 200 } },
  "PATCH /api/pools/:poolId": {
    body: { maxAgents: 3 },
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 200 },
  },
  "POST /api/pools/:poolId/enrollment-tokens": {
    body: { reusable: true },
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 201 },
  },
  "GET /api/pools/:poolId/scaling-tokens": {
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 200 },
  },
  "POST /api/pools/:poolId/scaling-tokens": {
    body: { name: "KEDA" },
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 201 },
  },
  "DELETE /api/pools/:poolId/scaling-tokens/:tokenId": {
    expect: { anonymous: 401, outsider: 404, member: 403, admin: 204 },
  },
  "GET /api/pools/:poolId/scaling": {
    expect: { anonymous: 401, outsider: 401, member: 401, admin: 401 },
  },
  "GET /metrics": { expect: { anonymous: 401, outsider: 401, member: 401, admin: 401 } },
};

function fleetRoutesOf(t: TestApp): string[] {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === "ALL" || !/^\/(api\/(studios|pools)(\/|$)|metrics$)/.test(r.path)) continue;
    seen.add(`${r.method} ${r.path.replace(/(.)\/$/, "$1")}`);
  }
  return [...seen].sort();
}

Deno.test("studio and pool routes: outsiders 404, members may not manage, tokens not sessions", async () => {
  const t = await createTestApp({ METRICS_TOKEN: "m".repeat(32) });
  try {
    assert.deepEqual(fleetRoutesOf(t), Object.keys(FLEET_ROUTES).sort());
    const failures: string[] = [];
    const admin = await signUp(t, "Admin");
    const member = await signUp(t, "Member");
    const target = await signUp(t, "Target");
    const outsider = await signUp(t, "Outsider");
    for (const route of fleetRoutesOf(t)) {
      const [method, pattern] = route.split(" ") as [string, string];
      const entry = FLEET_ROUTES[route]!;
      for (const [who, expected] of Object.entries(entry.expect)) {
        // A fresh studio each time: a successful write changes what the next caller meets.
        const { studioId, poolId } = await studioWithPool(t, admin);
        await joinStudio(t, admin, studioId, member);
        await joinStudio(t, admin, studioId, target);
        const code = await call(t, "POST", `/api/studios/${studioId}/join-code`, {
          token: admin.token,
        });
        const scalingToken = await call(t, "POST", `/api/pools/${poolId}/scaling-tokens`, {
          token: admin.token,
          body: { name: "existing" },
        });
        const params: Record<string, string> = {
          ":studioId": studioId,
          ":poolId": poolId,
          ":userId": target.id,
          ":code": code.body.code,
          ":tokenId": scalingToken.body.scalingToken.id,
        };
        const path = pattern.replace(/:\w+/g, (p) => params[p] ?? p);
        const body = entry.body === undefined ? undefined : JSON.parse(
          JSON.stringify(entry.body).replace(
            /":\w+"/g,
            (p) => JSON.stringify(params[p.slice(1, -1)]),
          ),
        );
        const token = { anonymous: undefined, outsider, member, admin }[who]?.token;
        const res = await call(t, method, path, {
          ...(token ? { token } : {}),
          ...(body ? { body } : {}),
        });
        if (res.status !== expected) {
          failures.push(`${route} as ${who}: expected ${expected}, got ${res.status}`);
        }
        if (res.status >= 400) {
          assert.equal(typeof res.body?.error?.code, "string", `${route}: JSON error body`);
        }
        // An outsider's lists never show the studio or its pool.
        if (who === "outsider" && method === "GET") {
          const text = JSON.stringify(res.body);
          if (text.includes(studioId) || text.includes(poolId)) {
            failures.push(`${route} as outsider: shows the studio or its pool`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  } finally {
    await t.close();
  }
});

/**
 * Agent routes on a job, each with a body it would accept from the agent that holds the job (or
 * made the take): only that agent's credential gets past them. A person's session or a share
 * link's token is not an agent's (401); another agent, even its owner's, is told the job does
 * not exist (404).
 */
const AGENT_JOB_ROUTES: Record<string, unknown> = {
  "POST /api/agent/v1/jobs/:id/events": { percent: 10 },
  "POST /api/agent/v1/jobs/:id/outputs": { ext: "mp4", contentType: "video/mp4" },
  "POST /api/agent/v1/jobs/:id/complete": {
    outputs: [{ takeId: ":takeId", bytes: 1, sha256: "a".repeat(64), contentType: "video/mp4" }],
  },
  "POST /api/agent/v1/jobs/:id/takes/:takeId/description": {
    media: { durationSeconds: 1, fps: 24, width: 64, height: 64, hasAudio: false },
  },
  "POST /api/agent/v1/jobs/:id/fail": { reason: "x", retriable: true },
  "POST /api/agent/v1/jobs/:id/release": {},
};

Deno.test("agent job routes: only the agent that holds the job; people 401, other agents 404", async () => {
  const t = await createTestApp();
  try {
    const routes = [
      ...new Set(
        t.app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/agent/v1/jobs/"))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].sort();
    assert.deepEqual(routes, Object.keys(AGENT_JOB_ROUTES).sort());
    const { owner, projectId, agent, generate } = await shotProject(t);
    const jobId = await generate();
    await agent.claim();
    const slot = await agent.call("POST", `/jobs/${jobId}/outputs`, {
      ext: "mp4",
      contentType: "video/mp4",
    });
    const other = await enrollAgent(t, owner, undefined, "other");
    const link = await call(t, "POST", `/api/projects/${projectId}/share-links`, {
      token: owner.token,
      body: { label: "Client" },
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: { name: "Cleo" },
    });
    const callers = {
      anonymous: { token: undefined, expected: 401 },
      person: { token: owner.token, expected: 401 },
      guest: { token: guest.body.token as string, expected: 401 },
      "another agent": { token: other.credential, expected: 404 },
    };
    const failures: string[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(" ") as [string, string];
      const path = pattern.replace(":id", jobId).replace(":takeId", slot.body.takeId);
      const body = JSON.parse(
        JSON.stringify(AGENT_JOB_ROUTES[route]).replace('":takeId"', `"${slot.body.takeId}"`),
      );
      for (const [who, { token, expected }] of Object.entries(callers)) {
        const res = await call(t, method, path, { ...(token ? { token } : {}), body });
        if (res.status !== expected) {
          failures.push(`${route} as ${who}: expected ${expected}, got ${res.status}`);
        }
        assert.equal(typeof res.body?.error?.code, "string", `${route}: JSON error body`);
      }
    }
    assert.deepEqual(failures, []);
    const { job } = (await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
      token: owner.token,
    })).body;
    assert.equal(job.state, "leased", "nobody else moved the job");
  } finally {
    await t.close();
  }
});
