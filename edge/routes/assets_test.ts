import assert from "node:assert/strict";
import {
  addMember,
  call,
  createProject,
  createTestApp,
  signUp,
  TEST_ROOM_SECRET,
} from "../testing.ts";

async function setup() {
  const t = await createTestApp();
  const ada = await signUp(t, "Ada");
  const id = await createProject(t, ada, "Noir");
  return { t, ada, id };
}

Deno.test("each asset edit is a new version with its author; rollback copies an old one forward", async () => {
  const { t, ada, id } = await setup();
  try {
    const bob = await signUp(t, "Bob");
    await addMember(t, id, ada, bob, "editor");
    const created = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: {
        type: "character",
        name: "Detective Rey",
        params: { seed: 7, prompt: "trench coat" },
      },
    });
    assert.equal(created.status, 201);
    const assetId = created.body.asset.id;
    const base = `/api/projects/${id}/assets/${assetId}`;
    const edited = await call(t, "PATCH", base, {
      token: bob.token,
      body: { params: { seed: 8, prompt: "red trench coat" }, baseVersion: 1 },
    });
    assert.equal(edited.body.asset.version, 2);
    assert.equal(edited.body.asset.name, "Detective Rey", "unchanged fields are kept");

    const stale = await call(t, "PATCH", base, {
      token: ada.token,
      body: { name: "Rey", baseVersion: 1 },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, "stale_version");

    const rolled = await call(t, "POST", `${base}/rollback`, {
      token: ada.token,
      body: { version: 1 },
    });
    assert.equal(rolled.body.asset.version, 3);
    assert.deepEqual(rolled.body.asset.params, { seed: 7, prompt: "trench coat" });

    const versions = await call(t, "GET", `${base}/versions`, { token: ada.token });
    assert.deepEqual(
      versions.body.versions.map((
        v: { version: number; authorName: string },
      ) => [v.version, v.authorName]),
      [[3, "Ada"], [2, "Bob"], [1, "Ada"]],
    );
    assert.equal(
      (await call(t, "POST", `${base}/rollback`, { token: ada.token, body: { version: 9 } }))
        .status,
      404,
    );
  } finally {
    await t.close();
  }
});

Deno.test("assets are listed by type and deleted ones disappear", async () => {
  const { t, ada, id } = await setup();
  try {
    for (const [type, name] of [["style", "Neon"], ["character", "Rey"], ["location", "Docks"]]) {
      await call(t, "POST", `/api/projects/${id}/assets`, {
        token: ada.token,
        body: { type, name },
      });
    }
    const styles = await call(t, "GET", `/api/projects/${id}/assets?type=style`, {
      token: ada.token,
    });
    assert.deepEqual(styles.body.assets.map((a: { name: string }) => a.name), ["Neon"]);
    const all = await call(t, "GET", `/api/projects/${id}/assets`, { token: ada.token });
    assert.equal(all.body.assets.length, 3);
    const docks = all.body.assets.find((a: { name: string }) => a.name === "Docks");
    assert.equal(
      (await call(t, "DELETE", `/api/projects/${id}/assets/${docks.id}`, { token: ada.token }))
        .status,
      204,
    );
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}/assets/${docks.id}`, { token: ada.token })).status,
      404,
    );
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}/assets`, { token: ada.token })).body.assets.length,
      2,
    );
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}/assets?type=prop`, { token: ada.token })).status,
      400,
    );
  } finally {
    await t.close();
  }
});

Deno.test("asset usage lists the nodes of the current graph that reference the asset", async () => {
  const { t, ada, id } = await setup();
  try {
    const asset = (await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    })).body.asset;
    const node = (nodeId: string, type: string, params: Record<string, unknown>) => ({
      id: nodeId,
      type,
      title: nodeId,
      x: 0,
      y: 0,
      params,
    });
    const graph = {
      nodes: {
        a: node("a", "asset.character", { assetId: asset.id }),
        b: node("b", "asset.character", { assetId: "someone-else" }),
        c: node("c", "shot.generate", { prompt: "rain" }),
      },
      edges: {},
    };
    const flushed = await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
      headers: { authorization: `Bearer ${TEST_ROOM_SECRET}` },
      body: { graph, message: "test", authorIds: [ada.id] },
    });
    assert.equal(flushed.status, 201);
    const usage = await call(t, "GET", `/api/projects/${id}/assets/${asset.id}/usage`, {
      token: ada.token,
    });
    assert.deepEqual(usage.body.nodes, [{ nodeId: "a", type: "asset.character", title: "a" }]);
  } finally {
    await t.close();
  }
});

Deno.test("the structure tree follows the production convention and shows no server paths", async () => {
  const { t, ada, id } = await setup();
  try {
    await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    });
    await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "location", name: "Docks" },
    });
    const res = await call(t, "GET", `/api/projects/${id}/structure`, { token: ada.token });
    assert.equal(res.status, 200);
    const tree = res.body.tree;
    assert.equal(tree.name, "Noir");
    assert.deepEqual(tree.children.map((c: { name: string }) => c.name), ["assets", "renders"]);
    const assets = tree.children[0];
    assert.deepEqual(assets.children.map((c: { name: string }) => c.name), [
      "characters",
      "styles",
      "locations",
    ]);
    assert.equal(assets.children[0].children[0].name, "Rey");
    assert.equal(assets.children[0].children[0].children[0].name, "v1");
    assert.ok(!JSON.stringify(tree).includes(".data"), "no server paths");
  } finally {
    await t.close();
  }
});

Deno.test("edits sent at once without a base version all land, each as its own version", async () => {
  const { t, ada, id } = await setup();
  try {
    const created = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "style", name: "Noir", params: { grain: 0 } },
    });
    const base = `/api/projects/${id}/assets/${created.body.asset.id}`;
    const edits = await Promise.all(
      [1, 2, 3, 4, 5].map((grain) =>
        call(t, "PATCH", base, { token: ada.token, body: { params: { grain } } })
      ),
    );
    assert.deepEqual(edits.map((e) => e.status), [200, 200, 200, 200, 200]);
    assert.deepEqual(edits.map((e) => e.body.asset.version).sort(), [2, 3, 4, 5, 6]);
    const versions = await call(t, "GET", `${base}/versions`, { token: ada.token });
    assert.equal(versions.body.versions.length, 6, "no edit was lost");
    // With a base version the caller asked to be told instead.
    const [fresh, stale] = await Promise.all([
      call(t, "PATCH", base, { token: ada.token, body: { params: { grain: 9 }, baseVersion: 6 } }),
      call(t, "PATCH", base, { token: ada.token, body: { params: { grain: 8 }, baseVersion: 6 } }),
    ]);
    assert.deepEqual([fresh.status, stale.status].sort(), [200, 409]);
  } finally {
    await t.close();
  }
});
