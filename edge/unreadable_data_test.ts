/**
 * Data stored before free-form JSON was bounded, or otherwise damaged, is reported for its own
 * row or project; every other reader goes on as before. The bad values are written straight
 * into the database, as the API no longer accepts them.
 */
import assert from "node:assert/strict";
import { graphOf, node, saveGraph } from "../test/jobs/graphs.ts";
import {
  call,
  createProject,
  createTestApp,
  signUp,
  TEST_ROOM_SECRET,
  type TestApp,
} from "./testing.ts";

/** Params 1,001 levels deep: one past what SQLite's JSON functions read. */
const DEEP_PARAMS = `{"d":${"[".repeat(1000)}${"]".repeat(1000)}}`;

async function setColumn(t: TestApp, table: string, column: string, text: string, where: string) {
  await t.db.$client.execute({
    sql: `update ${table} set ${column} = ? where ${where}`,
    args: [text],
  });
}

async function createAsset(t: TestApp, token: string, projectId: string, name: string) {
  const res = await call(t, "POST", `/api/projects/${projectId}/assets`, {
    token,
    body: { type: "style", name, params: { seed: 1 } },
  });
  assert.equal(res.status, 201);
  return res.body.asset.id as string;
}

Deno.test("an asset whose stored params cannot be read is listed apart, and can still be deleted", async () => {
  const t = await createTestApp();
  try {
    const [ada, bob] = [await signUp(t, "Ada"), await signUp(t, "Bob")];
    const [mine, theirs] = [await createProject(t, ada), await createProject(t, bob)];
    const good = await createAsset(t, ada.token, mine, "Good");
    const deep = await createAsset(t, ada.token, mine, "Deep");
    const broken = await createAsset(t, ada.token, mine, "Broken");
    const bobs = await createAsset(t, bob.token, theirs, "Bob's");
    await setColumn(t, "assets", "params", DEEP_PARAMS, `id = '${deep}'`);
    await setColumn(t, "asset_versions", "params", DEEP_PARAMS, `asset_id = '${deep}'`);
    await setColumn(t, "assets", "params", '{"seed":', `id = '${broken}'`);
    const list = (project: string, token: string, query = "") =>
      call(t, "GET", `/api/projects/${project}/assets${query}`, { token });

    for (let i = 0; i < 2; i++) {
      const res = await list(mine, ada.token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.assets.map((a: { id: string }) => a.id), [good]);
      assert.deepEqual(res.body.unreadable, [
        { id: broken, type: "style", name: "Broken" },
        { id: deep, type: "style", name: "Deep" },
      ]);
      for (const query of ["", "?type=style", "?type=character"]) {
        const other = await list(theirs, bob.token, query);
        assert.equal(other.status, 200, `another project, ${query}: ${JSON.stringify(other.body)}`);
      }
    }
    assert.deepEqual((await list(theirs, bob.token)).body.assets.map((a: { id: string }) => a.id), [
      bobs,
    ]);

    const base = `/api/projects/${mine}/assets/${deep}`;
    for (const [method, path, body] of [["GET", base], ["PATCH", base, { name: "Renamed" }]]) {
      const res = await call(t, method as string, path as string, { token: ada.token, body });
      assert.equal(res.status, 409, `${method}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "unreadable_asset");
      assert.match(res.body.error.message, /"Deep".*delete/);
    }
    const versions = await call(t, "GET", `${base}/versions`, { token: ada.token });
    assert.equal(versions.status, 200);
    assert.deepEqual(versions.body.versions, []);
    assert.deepEqual(
      versions.body.unreadable.map((
        v: { version: number; reason: string },
      ) => [v.version, v.reason]),
      [[1, "params is nested deeper than 32 levels"]],
    );
    assert.equal((await call(t, "GET", `${base}/usage`, { token: ada.token })).status, 200);

    assert.equal((await call(t, "DELETE", base, { token: ada.token })).status, 204);
    const brokenPath = `/api/projects/${mine}/assets/${broken}`;
    assert.equal((await call(t, "DELETE", brokenPath, { token: ada.token })).status, 204);
    const after = await list(mine, ada.token);
    assert.deepEqual([after.body.assets.length, after.body.unreadable], [1, []]);
  } finally {
    await t.close();
  }
});

Deno.test("a version whose params cannot be restored says so; the asset keeps its current one", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const asset = await createAsset(t, ada.token, id, "Noir");
    const base = `/api/projects/${id}/assets/${asset}`;
    await call(t, "PATCH", base, { token: ada.token, body: { params: { seed: 2 } } });
    await setColumn(
      t,
      "asset_versions",
      "params",
      DEEP_PARAMS,
      `asset_id = '${asset}' and version = 1`,
    );
    const rolled = await call(t, "POST", `${base}/rollback`, {
      token: ada.token,
      body: { version: 1 },
    });
    assert.equal(rolled.status, 409, JSON.stringify(rolled.body));
    assert.equal(rolled.body.error.code, "unreadable_version");
    assert.match(rolled.body.error.message, /version 1 cannot be restored/);
    const current = await call(t, "GET", base, { token: ada.token });
    assert.deepEqual([current.body.asset.version, current.body.asset.params], [2, { seed: 2 }]);
  } finally {
    await t.close();
  }
});

Deno.test("a graph nested past SQLite's limit opens without the node that breaks it, for that project alone", async () => {
  const t = await createTestApp();
  try {
    const [ada, bob] = [await signUp(t, "Ada"), await signUp(t, "Bob")];
    const [mine, theirs] = [await createProject(t, ada), await createProject(t, bob)];
    const good = node("shot1", "shot.generate", { prompt: "a red door" });
    await saveGraph(t, mine, graphOf([good]));
    await saveGraph(t, theirs, graphOf([good]));
    // Revision 2: a node whose params SQLite cannot read, wired to the good one.
    const bad = node("deep", "shot.generate", JSON.parse(DEEP_PARAMS));
    await saveGraph(t, mine, graphOf([good, bad], [["deep", "video", "shot1", "reference"]]));
    const room = { authorization: `Bearer ${TEST_ROOM_SECRET}` };

    for (
      const [path, headers] of [
        [`/api/projects/${mine}/graph`, {}],
        [`/api/internal/projects/${mine}/graph`, room],
        [`/api/projects/${mine}/revisions/2`, {}],
      ] as const
    ) {
      const res = await call(
        t,
        "GET",
        path,
        path.includes("internal") ? { headers } : {
          token: ada.token,
        },
      );
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(Object.keys(res.body.graph.nodes), ["shot1"], path);
      assert.deepEqual(res.body.graph.edges, {}, path);
      assert.equal(res.body.setAside.length, 2, path);
      assert.match(res.body.setAside[0], /^node deep: params: .*deeper than 32 levels/, path);
    }
    const generate = await call(t, "POST", `/api/projects/${mine}/nodes/shot1/generate`, {
      token: ada.token,
      body: { type: "shot.generate", params: { prompt: "a red door" } },
    });
    assert.equal(generate.status, 201, JSON.stringify(generate.body));
    const other = await call(t, "GET", `/api/projects/${theirs}/graph`, { token: bob.token });
    assert.deepEqual([other.status, Object.keys(other.body.graph.nodes)], [200, ["shot1"]]);

    const reverted = await call(t, "POST", `/api/projects/${mine}/revisions/2/revert`, {
      token: ada.token,
    });
    assert.equal(reverted.status, 201, JSON.stringify(reverted.body));
    assert.equal(reverted.body.setAside.length, 2);
    // The revert stores what can be read (the room loads it from there): nothing is set aside
    // when the reverted graph is read back.
    const current = await call(t, "GET", `/api/projects/${mine}/graph`, { token: ada.token });
    assert.equal(current.status, 200);
    assert.equal(current.body.revision, reverted.body.revision);
    assert.deepEqual(Object.keys(current.body.graph.nodes), ["shot1"]);
    assert.equal(current.body.setAside, undefined);
  } finally {
    await t.close();
  }
});

Deno.test("a graph that is not JSON at all fails that project's readers with a clear error until reverted", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    await saveGraph(t, id, graphOf([node("shot1", "shot.generate", { prompt: "a red door" })]));
    await saveGraph(t, id, graphOf([node("shot2", "shot.generate", { prompt: "a door" })]));
    await setColumn(
      t,
      "graph_revisions",
      "graph",
      '{"nodes":',
      `project_id = '${id}' and revision = 2`,
    );
    const room = { authorization: `Bearer ${TEST_ROOM_SECRET}` };
    const reads = [
      ["GET", `/api/projects/${id}/graph`, {}],
      ["GET", `/api/internal/projects/${id}/graph`, room],
      ["GET", `/api/projects/${id}/revisions/2`, {}],
      ["POST", `/api/projects/${id}/nodes/shot2/generate`, {}, { type: "shot.generate" }],
    ] as const;
    for (const [method, path, headers, body] of reads) {
      const who = path.includes("internal") ? { headers } : { token: ada.token };
      const res = await call(t, method, path, { ...who, ...(body ? { body } : {}) });
      assert.equal(res.status, 409, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "unreadable_graph");
      assert.match(res.body.error.message, /revision 2 .* cannot be read .*revert/);
    }
    const reverted = await call(t, "POST", `/api/projects/${id}/revisions/1/revert`, {
      token: ada.token,
    });
    assert.equal(reverted.status, 201);
    const current = await call(t, "GET", `/api/projects/${id}/graph`, { token: ada.token });
    assert.deepEqual([current.status, Object.keys(current.body.graph.nodes)], [200, ["shot1"]]);
  } finally {
    await t.close();
  }
});
