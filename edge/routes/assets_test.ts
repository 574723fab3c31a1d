import assert from "node:assert/strict";
import {
  agentProfile,
  CARD_MIB,
  enrollAgent,
  getBlob,
  putBlob,
} from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
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
      "workflows",
      "model-configs",
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

/** A tiny real PNG (1×1). */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

Deno.test("reference images: uploaded through a presigned URL, added as a new version, fed to a linked shot's reference", async () => {
  const { t, ada, id } = await setup();
  try {
    const cleo = await signUp(t, "Cleo");
    await addMember(t, id, ada, cleo, "reviewer");
    const created = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    });
    const base = `/api/projects/${id}/assets/${created.body.asset.id}`;
    const upload = await call(t, "POST", `${base}/images`, {
      token: ada.token,
      body: { contentType: "image/png", bytes: PNG.byteLength },
    });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    assert.equal((await putBlob(t, upload.body.uploadUrl, upload.body.headers, PNG)).status, 201);
    const added = await call(t, "PATCH", base, {
      token: ada.token,
      body: { referenceImageKeys: [upload.body.key], baseVersion: 1 },
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.asset.version, 2);

    // Everyone in the project sees it as a thumbnail, version by version.
    const versions = await call(t, "GET", `${base}/versions`, { token: cleo.token });
    assert.deepEqual(
      versions.body.versions.map((v: { referenceImages: unknown[] }) => v.referenceImages.length),
      [1, 0],
    );
    const image = await getBlob(t, versions.body.versions[0].referenceImages[0].url);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), PNG);

    // A shot linked to the character's image reads it as its reference, at that version.
    const agent = await enrollAgent(t, ada, agentProfile({ vramMiB: CARD_MIB.gb24 }));
    await saveGraph(
      t,
      id,
      graphOf(
        [
          node("rey", "asset.character", { assetId: created.body.asset.id }),
          node("shot1", "shot.generate", { prompt: "Rey at the door" }),
        ],
        [["rey", "image", "shot1", "reference"], ["rey", "character", "shot1", "character"]],
      ),
    );
    await call(t, "POST", `/api/projects/${id}/nodes/shot1/generate`, {
      token: ada.token,
      body: { type: "shot.generate" },
    });
    const job = await agent.claim();
    assert.deepEqual(job?.inputs.map((i) => [i.socket, i.contentType, i.asset]), [
      ["reference", "image/png", { id: created.body.asset.id, version: 2 }],
    ]);
    assert.deepEqual(
      new Uint8Array(await (await getBlob(t, job!.inputs[0]!.url)).arrayBuffer()),
      PNG,
    );
    const [take] = await agent.finish(job!);
    assert.deepEqual(
      take!.lineage.inputs.map((i) => i.kind === "asset" && [i.socket, i.name, i.version, i.image]),
      [["character", "Rey", 2, false], ["reference", "Rey", 2, true]],
    );
  } finally {
    await t.close();
  }
});

Deno.test("reference images: only images of at most 20 MB, uploaded to this asset, can be added", async () => {
  const { t, ada, id } = await setup();
  try {
    const create = (name: string) =>
      call(t, "POST", `/api/projects/${id}/assets`, {
        token: ada.token,
        body: { type: "location", name },
      });
    const pier = (await create("Pier")).body.asset;
    const dock = (await create("Dock")).body.asset;
    const base = `/api/projects/${id}/assets/${pier.id}`;
    const ask = (body: unknown) => call(t, "POST", `${base}/images`, { token: ada.token, body });
    const html = await ask({ contentType: "text/html", bytes: 10 });
    assert.equal(html.status, 422);
    assert.equal(html.body.error.issues[0].path, "contentType");
    assert.match(html.body.error.issues[0].message, /images only/);
    const big = await ask({ contentType: "image/jpeg", bytes: 20 * 1024 * 1024 + 1 });
    assert.equal(big.status, 422);
    assert.equal(big.body.error.issues[0].path, "bytes");

    // An upload that lied about its size is refused when it is added.
    const liar = await ask({ contentType: "image/png", bytes: 10 });
    const huge = new Uint8Array(20 * 1024 * 1024 + 1);
    await (await putBlob(t, liar.body.uploadUrl, liar.body.headers, huge)).body?.cancel();
    const addHuge = await call(t, "PATCH", base, {
      token: ada.token,
      body: { referenceImageKeys: [liar.body.key] },
    });
    assert.equal(addHuge.status, 422);
    assert.equal(addHuge.body.error.issues[0].path, "referenceImageKeys.0");

    // Nor can an asset hold a key outside its own folder: another asset's, a take's, or nothing.
    const other = await call(t, "POST", `/api/projects/${id}/assets/${dock.id}/images`, {
      token: ada.token,
      body: { contentType: "image/png", bytes: PNG.byteLength },
    });
    await (await putBlob(t, other.body.uploadUrl, other.body.headers, PNG)).body?.cancel();
    for (
      const key of [
        other.body.key,
        `projects/${id}/renders/SC01/SHOT-010/v01/SHOT-010_v01_take01.mp4`,
        liar.body.key.replace(/[0-9a-f-]{36}/, crypto.randomUUID()),
      ]
    ) {
      const res = await call(t, "PATCH", base, {
        token: ada.token,
        body: { referenceImageKeys: [key] },
      });
      assert.equal(res.status, 422, key);
      assert.equal(res.body.error.issues[0].path, "referenceImageKeys.0");
    }
    const created = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "style", name: "Neon", referenceImageKeys: [other.body.key] },
    });
    assert.equal(created.status, 422);
    const after = await call(t, "GET", base, { token: ada.token });
    assert.equal(after.body.asset.version, 1, "nothing was stored");
    assert.deepEqual(after.body.referenceImages, []);
  } finally {
    await t.close();
  }
});
