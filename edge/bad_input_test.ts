/**
 * Malformed and hostile input: every case gets a 4xx JSON error naming the problem, and the
 * database is exactly as it was before. Free-form JSON (params, graphs) nested too deep or too
 * large is refused on every route that stores it.
 */
import assert from "node:assert/strict";
import { agentProfile, enrollAgent } from "../test/jobs/fake_agent.ts";
import { studioWithPool } from "../test/jobs/fleet_fixture.ts";
import { graphOf, node, oneShot, saveGraph } from "../test/jobs/graphs.ts";
import { bigWorkflow, exampleText, uiFormatText } from "../test/fixtures/workflows/mod.ts";
import { DEFAULT_CUT_FORMAT } from "../protocol/cut.ts";
import { cutFromGraph } from "../protocol/cut_from_graph.ts";
import { storeRevision } from "./services/graph_store.ts";
import {
  call,
  createProject,
  createTestApp,
  insertReadyTake,
  signUp,
  TEST_ROOM_SECRET,
  type TestApp,
} from "./testing.ts";

const TABLES = [
  "users",
  "sessions",
  "projects",
  "project_members",
  "project_invites",
  "share_links",
  "assets",
  "asset_versions",
  "graph_revisions",
  "activity",
  "take_selects",
];

async function snapshot(t: TestApp, tables = TABLES): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await t.db.$client.execute(`select * from ${table} order by rowid`);
    // An agent's liveness stamp moves whenever it is heard from, refused request or not (its
    // write is throttled to one per 5 s, so a slow run sees it): that is not stored input.
    parts.push(JSON.stringify(rows.rows.map(({ last_seen_at: _seen, ...row }) => row)));
  }
  return parts.join("\n");
}

Deno.test("malformed, mistyped, oversized, unknown and hostile input is refused and changes nothing", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const asset = (await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    })).body.asset;
    // A shot and a cut of it, for the cut routes.
    const shot = { id: "shot1", type: "shot.generate", title: "Shot", x: 0, y: 0, params: {} };
    const cut = cutFromGraph({ nodes: { shot1: shot }, edges: {} }, {
      id: "main",
      name: "Main",
      format: DEFAULT_CUT_FORMAT,
    });
    await storeRevision(t.deps, id, {
      graph: { nodes: { shot1: shot }, edges: {}, cuts: { main: cut } },
      message: "a cut",
      authorIds: [],
    });
    const before = await snapshot(t);
    const huge = "x".repeat(2 * 1024 * 1024);
    const cases: Array<
      {
        name: string;
        method: string;
        path: string;
        body?: unknown;
        headers?: Record<string, string>;
        status: number;
        field?: string;
      }
    > = [
      {
        name: "malformed JSON",
        method: "POST",
        path: "/api/projects",
        body: '{"name": "Film",',
        status: 400,
      },
      {
        name: "not JSON at all",
        method: "POST",
        path: "/api/projects",
        body: "name=Film",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        status: 415,
      },
      {
        name: "JSON array instead of object",
        method: "POST",
        path: "/api/projects",
        body: "[1,2]",
        status: 422,
      },
      {
        name: "wrong type",
        method: "POST",
        path: "/api/projects",
        body: { name: 42 },
        status: 422,
        field: "name",
      },
      {
        name: "missing field",
        method: "POST",
        path: `/api/projects/${id}/assets`,
        body: { type: "style" },
        status: 422,
        field: "name",
      },
      {
        name: "bad enum",
        method: "POST",
        path: `/api/projects/${id}/assets`,
        body: { type: "prop", name: "Chair" },
        status: 422,
        field: "type",
      },
      {
        name: "unknown field",
        method: "POST",
        path: "/api/projects",
        body: { name: "Film", owner: "someone" },
        status: 422,
      },
      {
        name: "unknown field on update",
        method: "PATCH",
        path: `/api/projects/${id}`,
        body: { ownerId: ada.id },
        status: 422,
      },
      { name: "empty update", method: "PATCH", path: `/api/projects/${id}`, body: {}, status: 422 },
      {
        name: "very long name",
        method: "POST",
        path: "/api/projects",
        body: { name: "n".repeat(10_000) },
        status: 422,
        field: "name",
      },
      {
        name: "whitespace-only name",
        method: "POST",
        path: "/api/projects",
        body: { name: "   " },
        status: 422,
        field: "name",
      },
      {
        name: "oversized body",
        method: "POST",
        path: "/api/projects",
        body: JSON.stringify({ name: "Film", description: huge }),
        status: 413,
      },
      {
        name: "project id that is not an id",
        method: "GET",
        path: "/api/projects/not-an-id",
        status: 400,
      },
      { name: "SQL in the id", method: "GET", path: "/api/projects/1'%20or%20'1'='1", status: 400 },
      {
        name: "asset id that is not an id",
        method: "PATCH",
        path: `/api/projects/${id}/assets/123`,
        body: { name: "x" },
        status: 400,
        field: "assetId",
      },
      {
        name: "revision that is not a number",
        method: "GET",
        path: `/api/projects/${id}/revisions/abc`,
        status: 400,
        field: "revision",
      },
      {
        name: "negative page size",
        method: "GET",
        path: `/api/projects/${id}/revisions?limit=-5`,
        status: 400,
        field: "limit",
      },
      {
        name: "rollback to a non-integer version",
        method: "POST",
        path: `/api/projects/${id}/assets/${asset.id}/rollback`,
        body: { version: 1.5 },
        status: 422,
        field: "version",
      },
      {
        name: "bad email",
        method: "POST",
        path: "/api/auth/register",
        body: { email: "not-an-email", password: "long enough pw", name: "X" },
        status: 422,
        field: "email",
      },
      {
        name: "short password",
        method: "POST",
        path: "/api/auth/register",
        body: { email: "x@example.com", password: "short", name: "X" },
        status: 422,
        field: "password",
      },
      {
        name: "params that are not an object",
        method: "PATCH",
        path: `/api/projects/${id}/assets/${asset.id}`,
        body: { params: "seed=1" },
        status: 422,
        field: "params",
      },
      {
        name: "invitation to something that is not an email",
        method: "POST",
        path: `/api/projects/${id}/invites`,
        body: { email: "ben at studio", role: "editor" },
        status: 422,
        field: "email",
      },
      {
        name: "invitation with an email over 254 characters",
        method: "POST",
        path: `/api/projects/${id}/invites`,
        body: { email: `${"b".repeat(250)}@example.com`, role: "editor" },
        status: 422,
        field: "email",
      },
      {
        name: "invitation with a role that does not exist",
        method: "POST",
        path: `/api/projects/${id}/invites`,
        body: { email: "ben@example.com", role: "admin" },
        status: 422,
        field: "role",
      },
      {
        name: "invitation without a role",
        method: "POST",
        path: `/api/projects/${id}/invites`,
        body: { email: "ben@example.com" },
        status: 422,
        field: "role",
      },
      {
        name: "invitation with a field it does not take",
        method: "POST",
        path: `/api/projects/${id}/invites`,
        body: { email: "ben@example.com", role: "editor", userId: ada.id },
        status: 422,
      },
      {
        name: "revoking an invitation id that is not an id",
        method: "DELETE",
        path: `/api/projects/${id}/invites/42`,
        status: 400,
        field: "inviteId",
      },
      {
        name: "accepting an invitation id that is not an id",
        method: "POST",
        path: "/api/invites/not-an-id/accept",
        status: 400,
        field: "inviteId",
      },
      {
        name: "SQL in a declined invitation's id",
        method: "POST",
        path: "/api/invites/1'%20or%20'1'='1/decline",
        status: 400,
        field: "inviteId",
      },
      {
        name: "a reference image that is a web page",
        method: "POST",
        path: `/api/projects/${id}/assets/${asset.id}/images`,
        body: { contentType: "text/html", bytes: 100 },
        status: 422,
        field: "contentType",
      },
      {
        name: "a reference image over 20 MB",
        method: "POST",
        path: `/api/projects/${id}/assets/${asset.id}/images`,
        body: { contentType: "image/png", bytes: 21 * 1024 * 1024 },
        status: 422,
        field: "bytes",
      },
      {
        name: "a reference image of no size",
        method: "POST",
        path: `/api/projects/${id}/assets/${asset.id}/images`,
        body: { contentType: "image/webp", bytes: 0 },
        status: 422,
        field: "bytes",
      },
      {
        name: "a reference image key outside the asset's folder",
        method: "PATCH",
        path: `/api/projects/${id}/assets/${asset.id}`,
        body: { referenceImageKeys: [`projects/${id}/renders/SC01/SHOT-010/v01/a.mp4`] },
        status: 422,
        field: "referenceImageKeys.0",
      },
      {
        name: "reference images on a new asset",
        method: "POST",
        path: `/api/projects/${id}/assets`,
        body: { type: "style", name: "Neon", referenceImageKeys: ["x"] },
        status: 422,
        field: "referenceImageKeys",
      },
      {
        name: "selecting a take id that is not an id",
        method: "PUT",
        path: `/api/projects/${id}/nodes/shot1/selected-take`,
        body: { takeId: "take01" },
        status: 422,
        field: "takeId",
      },
      {
        name: "selecting without naming a take",
        method: "PUT",
        path: `/api/projects/${id}/nodes/shot1/selected-take`,
        body: {},
        status: 422,
        field: "takeId",
      },
      {
        name: "selecting for a node id with a space in it",
        method: "PUT",
        path: `/api/projects/${id}/nodes/shot%201/selected-take`,
        body: { takeId: crypto.randomUUID() },
        status: 400,
        field: "nodeId",
      },
      {
        name: "selecting a take that is not one of the node's",
        method: "PUT",
        path: `/api/projects/${id}/nodes/shot1/selected-take`,
        body: { takeId: crypto.randomUUID() },
        status: 404,
      },
      {
        name: "an OTIO import that is not JSON",
        method: "POST",
        path: `/api/projects/${id}/cuts/main/import-otio`,
        body: "<timeline/>",
        status: 422,
        field: "(file)",
      },
      {
        name: "an OTIO import that is not an OTIO timeline",
        method: "POST",
        path: `/api/projects/${id}/cuts/main/import-otio`,
        body: { name: "cut", tracks: [] },
        status: 422,
        field: "OTIO_SCHEMA",
      },
      {
        name: "an OTIO import larger than a graph",
        method: "POST",
        path: `/api/projects/${id}/cuts/main/import-otio`,
        body: "x".repeat(9 * 1024 * 1024),
        status: 413,
      },
      {
        name: "an OTIO import into a cut that does not exist",
        method: "POST",
        path: `/api/projects/${id}/cuts/nope/import-otio`,
        body: { OTIO_SCHEMA: "Timeline.1" },
        status: 404,
      },
      {
        name: "a cut id with a space in it",
        method: "GET",
        path: `/api/projects/${id}/cuts/main%20cut/edl`,
        status: 400,
        field: "cutId",
      },
      {
        name: "an OTIO export asked for relative paths with a word",
        method: "GET",
        path: `/api/projects/${id}/cuts/main/otio?relative=yes`,
        status: 400,
        field: "relative",
      },
      { name: "unknown API route", method: "GET", path: "/api/nothing-here", status: 404 },
      {
        name: "share token of the wrong shape",
        method: "POST",
        path: "/api/share/abc/accept",
        body: {},
        status: 400,
      },
      {
        name: "share token of the wrong shape, looked up",
        method: "GET",
        path: "/api/share/abc",
        status: 400,
        field: "token",
      },
    ];
    for (const c of cases) {
      const res = await call(t, c.method, c.path, {
        token: ada.token,
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.headers ? { headers: c.headers } : {}),
      });
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body?.error?.code, "string", `${c.name}: JSON error body`);
      assert.equal(typeof res.body.error.message, "string", `${c.name}: message`);
      if (c.field) {
        const named = (res.body.error.issues ?? []).some((i: { path: string }) =>
          i.path === c.field
        );
        assert.ok(named, `${c.name}: issues name "${c.field}": ${JSON.stringify(res.body.error)}`);
      }
    }
    assert.equal(await snapshot(t), before, "the database is unchanged");
  } finally {
    await t.close();
  }
});

Deno.test("workflow uploads and mappings that are malformed, too large or inconsistent are refused naming the field", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    await saveGraph(t, id, oneShot());
    const sdxlText = await exampleText("sdxl_text_to_image.json");
    const sdxl = JSON.parse(sdxlText);
    const upload = (body: Record<string, unknown>) => ({
      method: "POST",
      path: `/api/projects/${id}/assets/workflows`,
      body: { name: "SDXL", nodeType: "image.generate", tier: "low", workflow: sdxlText, ...body },
    });
    const workflow = (await call(t, "POST", upload({}).path, {
      token: ada.token,
      body: upload({}).body,
    })).body.asset;
    const character = (await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    })).body.asset;
    const blobs = async () => {
      const folder = `${t.config.BLOB_DIR}/projects/${id}/assets/workflow`;
      const files: string[] = [];
      const walk = async (dir: string) => {
        for await (const entry of Deno.readDir(dir)) {
          if (entry.isDirectory) await walk(`${dir}/${entry.name}`);
          else files.push(`${dir}/${entry.name}`);
        }
      };
      await walk(folder);
      return files.sort();
    };
    const tables = [...TABLES, "jobs"];
    const before = await snapshot(t, tables);
    const storedBefore = await blobs();
    const put = (body: unknown, assetId = workflow.id) => ({
      method: "PUT",
      path: `/api/projects/${id}/assets/${assetId}/workflow`,
      body,
    });
    const withBinding = (change: (b: Record<string, unknown>) => void) => {
      const binding = structuredClone(workflow.params.binding);
      change(binding);
      return { binding };
    };
    const dangling = structuredClone(sdxl);
    dangling["8"].inputs.vae = ["99", 2];
    const cases: Array<
      { name: string; method: string; path: string; body: unknown; status: number; field: string }
    > = [
      {
        name: "a UI-format export",
        ...upload({ workflow: await uiFormatText() }),
        status: 422,
        field: "workflow",
      },
      {
        name: "a workflow that is not JSON",
        ...upload({ workflow: '{"3": ' }),
        status: 422,
        field: "workflow",
      },
      {
        name: "a workflow sent as an object",
        ...upload({ workflow: sdxl }),
        status: 422,
        field: "workflow",
      },
      {
        name: "a workflow over 2 MB",
        ...upload({
          workflow: JSON.stringify({
            ...sdxl,
            n: { class_type: "Note", inputs: { text: "x".repeat(2_200_000) } },
          }),
        }),
        status: 422,
        field: "workflow",
      },
      {
        name: "a workflow of 501 nodes",
        ...upload({ workflow: JSON.stringify(await bigWorkflow(501)) }),
        status: 422,
        field: "workflow",
      },
      {
        name: "a link to a missing node",
        ...upload({ workflow: JSON.stringify(dangling) }),
        status: 422,
        field: "workflow.8.inputs.vae",
      },
      {
        name: "a node without a class",
        ...upload({ workflow: JSON.stringify({ ...sdxl, "9": { inputs: {} } }) }),
        status: 422,
        field: "workflow.9.class_type",
      },
      {
        name: "an unknown node type",
        ...upload({ nodeType: "film.make" }),
        status: 422,
        field: "nodeType",
      },
      {
        name: "a node type ComfyUI does not run",
        ...upload({ nodeType: "transition" }),
        status: 422,
        field: "nodeType",
      },
      {
        name: "a tier that does not exist",
        ...upload({ tier: "ultra" }),
        status: 422,
        field: "tier",
      },
      {
        name: "a binding path of the wrong shape",
        ...upload({ binding: { params: { prompt: [["6", "text"]] }, outputs: ["9"] } }),
        status: 422,
        field: "binding.params.prompt.0",
      },
      {
        name: "a binding to an input the class lacks",
        ...upload({ binding: { params: { prompt: [["6", "inputs", "prompt"]] }, outputs: ["9"] } }),
        status: 422,
        field: "binding.params.prompt.0",
      },
      {
        name: "a binding to a node the workflow lacks",
        ...upload({ binding: { params: { seed: [["77", "inputs", "seed"]] }, outputs: ["9"] } }),
        status: 422,
        field: "binding.params.seed.0",
      },
      {
        name: "no output node",
        ...upload({ binding: { params: {}, outputs: [] } }),
        status: 422,
        field: "binding.outputs",
      },
      {
        name: "an output that saves nothing",
        ...put(withBinding((b) => void (b.outputs = ["3"]))),
        status: 422,
        field: "binding.outputs.0",
      },
      {
        name: "a model file outside its folder",
        ...put(
          withBinding((b) =>
            void (b.models = [{ folder: "checkpoints", file: "../../secrets.txt" }])
          ),
        ),
        status: 422,
        field: "binding.models.0.file",
      },
      {
        name: "a parameter the node type lacks",
        ...put(
          withBinding((b) =>
            void ((b.params as Record<string, unknown>).frames = [["5", "inputs", "batch_size"]])
          ),
        ),
        status: 422,
        field: "binding.params.frames",
      },
      { name: "a workflow edit that changes nothing", ...put({}), status: 422, field: "(body)" },
      {
        name: "a workflow edit of a character",
        ...put({ tier: "high" }, character.id),
        status: 422,
        field: "workflowId",
      },
      {
        name: "a workflow asset id that is not an id",
        ...put({ tier: "high" }, "wf1"),
        status: 400,
        field: "workflowId",
      },
      {
        name: "a workflow asset made without its file",
        method: "POST",
        path: `/api/projects/${id}/assets`,
        body: { type: "workflow", name: "x" },
        status: 422,
        field: "type",
      },
      {
        name: "a workflow's params changed as an asset's",
        method: "PATCH",
        path: `/api/projects/${id}/assets/${workflow.id}`,
        body: { params: { file: { key: `projects/${id}/x` } } },
        status: 422,
        field: "params",
      },
      {
        name: "a node running a character as its workflow",
        method: "POST",
        path: `/api/projects/${id}/nodes/shot1/generate`,
        body: { type: "shot.generate", params: { prompt: "x", workflowAssetId: character.id } },
        status: 422,
        field: "params.workflowAssetId",
      },
      {
        name: "a node running a workflow made for images",
        method: "POST",
        path: `/api/projects/${id}/nodes/shot1/generate`,
        body: { type: "shot.generate", params: { prompt: "x", workflowAssetId: workflow.id } },
        status: 422,
        field: "params.workflowAssetId",
      },
      {
        name: "a node running a workflow that does not exist",
        method: "POST",
        path: `/api/projects/${id}/nodes/shot1/generate`,
        body: {
          type: "shot.generate",
          params: { prompt: "x", workflowAssetId: crypto.randomUUID() },
        },
        status: 422,
        field: "params.workflowAssetId",
      },
    ];
    for (const c of cases) {
      const res = await call(t, c.method, c.path, { token: ada.token, body: c.body });
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body?.error?.message, "string", `${c.name}: JSON error body`);
      const paths = (res.body.error.issues ?? []).map((i: { path: string }) => i.path);
      assert.ok(
        paths.includes(c.field),
        `${c.name}: names ${c.field}: ${JSON.stringify(res.body.error)}`,
      );
    }
    assert.equal(await snapshot(t, tables), before, "the database is unchanged");
    assert.deepEqual(await blobs(), storedBefore, "no file was stored");
  } finally {
    await t.close();
  }
});

/** `levels` nested arrays around 1, as JSON text (never built as a value: no recursion here). */
const nestedText = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);

Deno.test("free-form JSON nested too deep or too large is refused on every route that stores it", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    await saveGraph(t, id, oneShot());
    const asset = (await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "style", name: "Noir" },
    })).body.asset;
    const agent = await enrollAgent(t, ada);
    const enrollment = (await call(t, "POST", "/api/agents/enrollment-tokens", {
      token: ada.token,
    })).body.token as string;
    const tables = [...TABLES, "agents", "enrollment_tokens", "jobs", "job_events"];
    const before = await snapshot(t, tables);
    const roomSecret = { authorization: `Bearer ${TEST_ROOM_SECRET}` };
    const agentAuth = { authorization: `Bearer ${agent.credential}` };
    /** A body as text with `VALUE` standing for a nested value or a large string. */
    const routes: Array<{
      route: string;
      method: string;
      path: string;
      body: string;
      field: string;
      headers?: Record<string, string>;
      user?: boolean;
    }> = [
      {
        route: "create asset",
        method: "POST",
        path: `/api/projects/${id}/assets`,
        body: '{"type":"style","name":"x","params":{"d":VALUE}}',
        field: "params",
      },
      {
        route: "update asset",
        method: "PATCH",
        path: `/api/projects/${id}/assets/${asset.id}`,
        body: '{"params":{"d":VALUE}}',
        field: "params",
      },
      {
        route: "generate",
        method: "POST",
        path: `/api/projects/${id}/nodes/shot1/generate`,
        body: '{"type":"shot.generate","params":{"prompt":VALUE}}',
        field: "params",
      },
      {
        route: "room flush (internal)",
        method: "POST",
        path: `/api/internal/projects/${id}/revisions`,
        body: JSON.stringify({ graph: graphOf([node("n1", "shot.generate", { d: "V" })]) })
          .replace('"V"', "VALUE"),
        field: "graph.nodes.n1.params",
        headers: roomSecret,
        user: false,
      },
      {
        route: "enroll agent",
        method: "POST",
        path: "/api/agent/v1/enroll",
        body: JSON.stringify({ token: enrollment, profile: { ...agentProfile(), os: "V" } })
          .replace('"V"', "VALUE"),
        field: "profile.os",
        user: false,
      },
      {
        route: "agent heartbeat",
        method: "POST",
        path: "/api/agent/v1/heartbeat",
        body: JSON.stringify({ profile: { ...agentProfile(), hostname: "V" } })
          .replace('"V"', "VALUE"),
        field: "profile.hostname",
        headers: agentAuth,
        user: false,
      },
      {
        route: "take description",
        method: "POST",
        path: `/api/agent/v1/jobs/${crypto.randomUUID()}/takes/${crypto.randomUUID()}/description`,
        body: '{"media":VALUE}',
        field: "media",
        headers: agentAuth,
        user: false,
      },
    ];
    const values: Array<{ name: string; value: string; status: number }> = [
      { name: "one level past the limit", value: nestedText(32), status: 422 },
      { name: "nested 1,000 deep", value: nestedText(1000), status: 422 },
      { name: "nested 10,000 deep", value: nestedText(10_000), status: 422 },
      { name: "nested 400,000 deep", value: nestedText(400_000), status: 422 },
      { name: "70,000 characters", value: JSON.stringify("x".repeat(70_000)), status: 422 },
      {
        name: "over the body limit",
        value: JSON.stringify("x".repeat(9 * 1024 * 1024)),
        status: 413,
      },
    ];
    let cases = 0;
    for (const r of routes) {
      for (const v of values) {
        const started = performance.now();
        const res = await call(t, r.method, r.path, {
          ...(r.user === false ? {} : { token: ada.token }),
          body: r.body.replace("VALUE", v.value),
          headers: r.headers ?? {},
        });
        const label = `${r.route}, ${v.name}`;
        assert.equal(res.status, v.status, `${label}: ${JSON.stringify(res.body)}`);
        if (v.status === 422) {
          const paths = (res.body?.error?.issues ?? []).map((i: { path: string }) => i.path);
          assert.ok(
            paths.some((p: string) => p === r.field || p.startsWith(`${r.field}.`)),
            `${label}: names ${r.field}: ${JSON.stringify(res.body?.error)}`,
          );
        }
        assert.equal(typeof res.body?.error?.message, "string", `${label}: JSON error body`);
        assert.ok(performance.now() - started < 5000, `${label}: answered at once`);
        cases++;
      }
    }
    assert.equal(cases, routes.length * values.length);
    assert.equal(await snapshot(t, tables), before, "nothing was stored");
    // And the routes that read those values still answer for everyone.
    for (const path of [`/api/projects/${id}/assets`, `/api/projects/${id}/graph`]) {
      assert.equal((await call(t, "GET", path, { token: ada.token })).status, 200, path);
    }
  } finally {
    await t.close();
  }
});

Deno.test("Unicode names are kept exactly as written", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const name = "Ünïcödé 映画 🎬 \u202Eevil";
    const id = await createProject(t, ada, name);
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}`, { token: ada.token })).body.project.name,
      name,
    );
  } finally {
    await t.close();
  }
});

Deno.test("no request id or error ever exposes a stack trace", async () => {
  const t = await createTestApp();
  try {
    const res = await call(t, "POST", "/api/auth/login", { body: "{" });
    assert.equal(res.status, 400);
    assert.ok(!JSON.stringify(res.body).includes(" at "));
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    assert.ok(
      t.logs.some((l) => l.path === "/api/auth/login" && l.status === 400),
      "one log line per request",
    );
    for (const path of ["/healthz", "/api/nothing-here", "/not-a-page"]) {
      const other = await t.app.request(path);
      const id = other.headers.get("x-request-id") ?? "";
      assert.match(id, /^[0-9a-f-]{36}$/, `${path} (${other.status}) carries its request id`);
      assert.ok(t.logs.some((l) => l.id === id && l.path === path), `${path} is logged by its id`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("bad studio, pool and metrics input is refused naming the field and changes nothing", async () => {
  const t = await createTestApp({ METRICS_TOKEN: "m".repeat(32) });
  try {
    const ada = await signUp(t, "Ada");
    const otto = await signUp(t, "Otto");
    const { studioId, poolId } = await studioWithPool(t, ada);
    const theirs = await studioWithPool(t, otto, {}, "Elsewhere");
    const id = await createProject(t, ada);
    await call(t, "GET", "/api/pools", { token: ada.token }); // makes Ada's personal pool
    const tables = ["studios", "studio_members", "pools", "project_pools", "enrollment_tokens"];
    const before = await snapshot(t, tables);
    const cases: Array<
      {
        name: string;
        method: string;
        path: string;
        body?: unknown;
        token?: string;
        status: number;
        field?: string;
      }
    > = [
      {
        name: "empty studio name",
        method: "POST",
        path: "/api/studios",
        body: { name: " " },
        status: 422,
        field: "name",
      },
      {
        name: "control character in a studio name",
        method: "POST",
        path: "/api/studios",
        body: { name: "a\u0007b" },
        status: 422,
        field: "name",
      },
      {
        name: "pool of a studio id that is not an id",
        method: "POST",
        path: "/api/pools",
        body: { name: "X", studioId: "nope" },
        status: 422,
        field: "studioId",
      },
      {
        name: "pool min above max",
        method: "POST",
        path: "/api/pools",
        body: { name: "X", studioId, minAgents: 5, maxAgents: 2 },
        status: 422,
        field: "minAgents",
      },
      {
        name: "pool name taken in the studio",
        method: "POST",
        path: "/api/pools",
        body: { name: "render farm", studioId },
        status: 409,
        field: "name",
      },
      {
        name: "pool in another studio",
        method: "POST",
        path: "/api/pools",
        body: { name: "X", studioId: theirs.studioId },
        status: 404,
      },
      {
        name: "target wait of zero",
        method: "PATCH",
        path: `/api/pools/${poolId}`,
        body: { targetWaitS: 0 },
        status: 422,
        field: "targetWaitS",
      },
      {
        name: "negative maximum",
        method: "PATCH",
        path: `/api/pools/${poolId}`,
        body: { maxAgents: -1 },
        status: 422,
        field: "maxAgents",
      },
      {
        name: "minimum above the stored maximum",
        method: "PATCH",
        path: `/api/pools/${poolId}`,
        body: { minAgents: 11 },
        status: 422,
        field: "minAgents",
      },
      {
        name: "fractional scale-down idle time",
        method: "PATCH",
        path: `/api/pools/${poolId}`,
        body: { scaleDownIdleS: 1.5 },
        status: 422,
        field: "scaleDownIdleS",
      },
      {
        name: "renaming a personal pool",
        method: "PATCH",
        path: `/api/pools/${ada.id}`,
        body: { name: "Mine" },
        status: 422,
        field: "name",
      },
      {
        name: "another studio's pool",
        method: "PATCH",
        path: `/api/pools/${theirs.poolId}`,
        body: { maxAgents: 1 },
        status: 404,
      },
      {
        name: "pool id that is not an id",
        method: "GET",
        path: "/api/pools/1'%20or%20'1'='1",
        status: 400,
        field: "poolId",
      },
      {
        name: "token valid for zero days",
        method: "POST",
        path: `/api/pools/${poolId}/enrollment-tokens`,
        body: { reusable: true, days: 0 },
        status: 422,
        field: "days",
      },
      {
        name: "project pool that is not an id",
        method: "PUT",
        path: `/api/projects/${id}/pools`,
        body: { poolIds: ["x"] },
        status: 422,
        field: "poolIds.0",
      },
      {
        name: "project pool of another studio",
        method: "PUT",
        path: `/api/projects/${id}/pools`,
        body: { poolIds: [theirs.poolId] },
        status: 404,
      },
      {
        name: "empty join code",
        method: "POST",
        path: "/api/studios/join",
        body: { code: "" },
        status: 422,
        field: "code",
      },
      {
        name: "member role that does not exist",
        method: "PATCH",
        path: `/api/studios/${studioId}/members/${ada.id}`,
        body: { role: "owner" },
        status: 422,
        field: "role",
      },
      {
        name: "metrics with a session instead of the token",
        method: "GET",
        path: "/metrics",
        status: 401,
      },
      {
        name: "metrics with a wrong token",
        method: "GET",
        path: "/metrics",
        token: "x".repeat(32),
        status: 401,
      },
      {
        name: "scaling with a wrong token",
        method: "GET",
        path: `/api/pools/${poolId}/scaling`,
        token: "x".repeat(32),
        status: 401,
      },
      {
        name: "scaling of no pool, with the token",
        method: "GET",
        path: `/api/pools/${crypto.randomUUID()}/scaling`,
        token: "m".repeat(32),
        status: 404,
      },
    ];
    for (const c of cases) {
      const res = await call(t, c.method, c.path, {
        token: c.token ?? ada.token,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body?.error?.code, "string", `${c.name}: JSON error body`);
      if (c.field) {
        const named = (res.body.error.issues ?? []).some((i: { path: string }) =>
          i.path === c.field
        );
        assert.ok(named, `${c.name}: issues name "${c.field}": ${JSON.stringify(res.body.error)}`);
      }
    }
    assert.equal(await snapshot(t, tables), before, "nothing changed");
  } finally {
    await t.close();
  }
});

Deno.test("bad review input (comments, decisions, read markers) is refused naming the field, and writes nothing", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const other = await createProject(t, ada, "Other film");
    const video = await insertReadyTake(t, id, "shot1"); // 80 frames at 16 fps
    const image = await insertReadyTake(t, id, "still", { contentType: "image/png", params: {} });
    const elsewhere = await insertReadyTake(t, other, "shot1");
    // One shot of 121 frames at 24 fps in cut `main`; the other film's cut is `theirs`.
    const graph = graphOf([node("shot1", "shot.generate"), node("still", "image.generate")]);
    const main = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
    await saveGraph(t, id, { ...graph, cuts: { main } });
    const otherGraph = graphOf([node("x", "shot.generate")]);
    await saveGraph(t, other, {
      ...otherGraph,
      cuts: {
        theirs: cutFromGraph(otherGraph, { id: "theirs", name: "T", format: DEFAULT_CUT_FORMAT }),
      },
    });
    const cutFrames = Object.values(main.clips).reduce((n, c) => n + c.out - c.in, 0);
    const post = (projectId: string, body: unknown) =>
      call(t, "POST", `/api/projects/${projectId}/comments`, { token: ada.token, body });
    const thread = (await post(id, { target: { kind: "node", nodeId: "shot1" }, body: "a" }))
      .body.comment.id;
    const reply = (await post(id, { parentId: thread, body: "b" })).body.comment.id;
    const foreign = (await post(other, { target: { kind: "node", nodeId: "x" }, body: "c" }))
      .body.comment.id;
    const tables = ["comments", "comment_edits", "take_decisions", "review_reads"];
    const before = await snapshot(t, tables);
    const onVideo = (extra: object) => ({ target: { kind: "take", takeId: video, ...extra } });
    const comments = `/api/projects/${id}/comments`;
    const cases: Array<
      {
        name: string;
        method?: string;
        path?: string;
        body?: unknown;
        status: number;
        field?: string;
      }
    > = [
      { name: "empty body", body: { ...onVideo({}), body: "  \n " }, status: 422, field: "body" },
      {
        name: "oversize body",
        body: { ...onVideo({}), body: "x".repeat(5001) },
        status: 422,
        field: "body",
      },
      { name: "no body", body: onVideo({}), status: 422, field: "body" },
      {
        name: "frame past the take's end",
        body: { ...onVideo({ frame: 80 }), body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "negative frame",
        body: { ...onVideo({ frame: -1 }), body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "fractional frame",
        body: { ...onVideo({ frame: 1.5 }), body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "a node the graph does not hold",
        body: { target: { kind: "node", nodeId: "x" }, body: "x" },
        status: 422,
        field: "target.nodeId",
      },
      {
        name: "a time past the cut's end",
        body: { target: { kind: "cut", cutId: "main", frame: cutFrames }, body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "a cut comment without a time",
        body: { target: { kind: "cut", cutId: "main" }, body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "another project's cut",
        body: { target: { kind: "cut", cutId: "theirs", frame: 0 }, body: "x" },
        status: 422,
        field: "target.cutId",
      },
      {
        name: "a point off the cut's frame",
        body: {
          target: { kind: "cut", cutId: "main", frame: 0, shape: { kind: "point", x: 0, y: 1.5 } },
          body: "x",
        },
        status: 422,
        field: "target.shape.y",
      },
      {
        name: "point outside the frame",
        body: { ...onVideo({ frame: 1, shape: { kind: "point", x: 1.2, y: 0.5 } }), body: "x" },
        status: 422,
        field: "target.shape.x",
      },
      {
        name: "rectangle running off the frame",
        body: {
          ...onVideo({ frame: 1, shape: { kind: "rect", x: 0.6, y: 0, w: 0.5, h: 0.5 } }),
          body: "x",
        },
        status: 422,
        field: "target.shape.w",
      },
      {
        name: "shape on a video without its frame",
        body: { ...onVideo({ shape: { kind: "point", x: 0.5, y: 0.5 } }), body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "frame on a still image",
        body: { target: { kind: "take", takeId: image, frame: 0 }, body: "x" },
        status: 422,
        field: "target.frame",
      },
      {
        name: "a take of another project",
        body: { target: { kind: "take", takeId: elsewhere }, body: "x" },
        status: 422,
        field: "target.takeId",
      },
      {
        name: "a take id that is not an id",
        body: { target: { kind: "take", takeId: "take01" }, body: "x" },
        status: 422,
        field: "target.takeId",
      },
      {
        name: "an unknown target kind",
        body: { target: { kind: "scene", cutId: "c" }, body: "x" },
        status: 422,
        field: "target.kind",
      },
      {
        name: "a reply to another project's comment",
        body: { parentId: foreign, body: "x" },
        status: 422,
        field: "parentId",
      },
      {
        name: "a target and a parent",
        body: { ...onVideo({}), parentId: thread, body: "x" },
        status: 422,
        field: "target",
      },
      { name: "neither target nor parent", body: { body: "x" }, status: 422, field: "target" },
      { name: "an author field", body: { ...onVideo({}), body: "x", author: "Olga" }, status: 422 },
      {
        name: "editing to nothing",
        method: "PATCH",
        path: `${comments}/${thread}`,
        body: { body: "" },
        status: 422,
        field: "body",
      },
      {
        name: "editing another project's comment",
        method: "PATCH",
        path: `${comments}/${foreign}`,
        body: { body: "y" },
        status: 404,
      },
      {
        name: "resolving a reply",
        method: "PUT",
        path: `${comments}/${reply}/resolved`,
        body: { resolved: true },
        status: 409,
      },
      {
        name: "resolving with a string",
        method: "PUT",
        path: `${comments}/${thread}/resolved`,
        body: { resolved: "yes" },
        status: 422,
        field: "resolved",
      },
      {
        name: "listing by a bad take id",
        method: "GET",
        path: `${comments}?takeId=nope`,
        status: 400,
        field: "takeId",
      },
      {
        name: "an unknown decision",
        method: "PUT",
        path: `/api/projects/${id}/takes/${video}/decision`,
        body: { decision: "maybe" },
        status: 422,
        field: "decision",
      },
      {
        name: "a decision on another project's take",
        method: "PUT",
        path: `/api/projects/${id}/takes/${elsewhere}/decision`,
        body: { decision: "approved" },
        status: 404,
      },
      {
        name: "a note too long",
        method: "PUT",
        path: `/api/projects/${id}/takes/${video}/decision`,
        body: { decision: "approved", note: "n".repeat(2001) },
        status: 422,
        field: "note",
      },
      {
        name: "reading up to a negative time",
        method: "POST",
        path: `/api/projects/${id}/whats-new/read`,
        body: { until: -1 },
        status: 422,
        field: "until",
      },
    ];
    for (const c of cases) {
      const res = await call(t, c.method ?? "POST", c.path ?? comments, {
        token: ada.token,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body?.error?.message, "string", `${c.name}: JSON error body`);
      if (c.field) {
        const named = (res.body.error.issues ?? []).some((i: { path: string }) =>
          i.path === c.field
        );
        assert.ok(named, `${c.name}: issues name "${c.field}": ${JSON.stringify(res.body.error)}`);
      }
    }
    assert.equal(await snapshot(t, tables), before, "no review row was written or changed");
  } finally {
    await t.close();
  }
});
