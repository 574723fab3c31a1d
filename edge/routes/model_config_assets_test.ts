/**
 * Model config assets: a Docker model config uploaded to the project's library is checked with
 * the agents' own rules (a bad one gets 422 naming `config.<field>`, and nothing is stored);
 * changes are versions; a node that names one queues a job that carries the config at that
 * version, offered only to agents whose Docker runs model config assets.
 */
import assert from "node:assert/strict";
import { agentProfile, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";
import { addMember } from "../testing.ts";

const CONFIG = {
  id: "sketch",
  title: "Sketch model",
  description: "A test model.",
  implements: [{ nodeType: "image.generate", tiers: ["low", "standard"] }],
  image: "example/sketch:1.0",
  command: ["python", "run.py", "--prompt={prompt}", "--steps", "{steps}", "--out", "{outputs}"],
  outputs: [{ glob: "*.png", kind: "image" }],
  gpu: true,
  vramMiB: 6144,
};

async function setup() {
  const t = await createTestApp();
  const ada = await signUp(t, "Ada");
  const id = await createProject(t, ada, "Noir");
  return { t, ada, id };
}

function upload(t: TestApp, user: { token: string }, id: string, body: unknown) {
  return call(t, "POST", `/api/projects/${id}/assets/model-configs`, { token: user.token, body });
}

Deno.test("a model config becomes a versioned asset of the library, checked on every change", async () => {
  const { t, ada, id } = await setup();
  try {
    const res = await upload(t, ada, id, { config: CONFIG });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { asset } = res.body;
    assert.equal(asset.type, "model-config");
    assert.equal(asset.name, "Sketch model", "named after the config's title");
    assert.equal(asset.description, "A test model.");
    assert.equal(asset.version, 1);
    assert.deepEqual(asset.params.config, CONFIG, "stored as uploaded");

    const changed = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/model-config`, {
      token: ada.token,
      body: { config: { ...CONFIG, vramMiB: 8192 }, baseVersion: 1 },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.asset.version, 2);
    assert.equal(changed.body.asset.params.config.vramMiB, 8192);

    const bad = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/model-config`, {
      token: ada.token,
      body: { config: { ...CONFIG, privileged: true } },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.issues[0].path, "config.privileged");
    const stale = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/model-config`, {
      token: ada.token,
      body: { config: CONFIG, baseVersion: 1 },
    });
    assert.equal(stale.status, 409, "an edit from an older version is refused");

    const listed = await call(t, "GET", `/api/projects/${id}/assets?type=model-config`, {
      token: ada.token,
    });
    assert.deepEqual(listed.body.assets.map((a: { version: number }) => a.version), [2]);

    // Before Generate, every member reads whether an online agent can run it (nobody is online).
    const bea = await signUp(t, "Bea");
    await addMember(t, id, ada, bea, "reviewer");
    const caps = await call(t, "GET", `/api/projects/${id}/capabilities`, { token: bea.token });
    assert.equal(caps.status, 200);
    assert.deepEqual(
      caps.body.modelConfigs.map((
        m: { name: string; version: number; agents: number },
      ) => [m.name, m.version, m.agents]),
      [["Sketch model", 2, 0]],
    );
    assert.equal(caps.body.modelConfigs[0].blocked.reason, "no_agent_online");
  } finally {
    await t.close();
  }
});

Deno.test("a bad model config is refused naming the field, and nothing is stored", async () => {
  const { t, ada, id } = await setup();
  try {
    const cases: Array<{ name: string; config: unknown; status: number; field: string }> = [
      {
        name: "an unknown placeholder",
        config: { ...CONFIG, command: ["run", "--size", "{size}"] },
        status: 422,
        field: "config.command.2",
      },
      {
        name: "a placeholder inside a larger argument",
        config: { ...CONFIG, command: ["run", "{prompt}.png"] },
        status: 422,
        field: "config.command.1",
      },
      {
        name: "a host path bound as a volume",
        config: { ...CONFIG, volumes: [{ volume: "/home/me/weights", target: "/weights" }] },
        status: 422,
        field: "config.volumes.0.volume",
      },
      {
        name: "the privileged flag",
        config: { ...CONFIG, privileged: true },
        status: 422,
        field: "config.privileged",
      },
      {
        name: "binds of host folders",
        config: { ...CONFIG, binds: ["/:/host"] },
        status: 422,
        field: "config.binds",
      },
      {
        name: "a missing image",
        config: Object.fromEntries(Object.entries(CONFIG).filter(([k]) => k !== "image")),
        status: 422,
        field: "config.image",
      },
      {
        name: "a node type Docker models do not run",
        config: { ...CONFIG, implements: [{ nodeType: "asset.style", tiers: ["low"] }] },
        status: 422,
        field: "config.implements.0.nodeType",
      },
      { name: "a config that is not an object", config: ["x"], status: 422, field: "config" },
    ];
    for (const c of cases) {
      const res = await upload(t, ada, id, { config: c.config });
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      const paths = (res.body.error.issues ?? []).map((i: { path: string }) => i.path);
      assert.ok(
        paths.includes(c.field),
        `${c.name}: names ${c.field}: ${JSON.stringify(res.body)}`,
      );
      assert.match(res.body.error.message, /\S/);
    }
    // The library's own routes cannot make or change one around the checks.
    const generic = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "model-config", name: "x", params: { config: { privileged: true } } },
    });
    assert.equal(generic.status, 422);
    assert.match(generic.body.error.message, /POST …\/assets\/model-configs/);
    const listed = await call(t, "GET", `/api/projects/${id}/assets`, { token: ada.token });
    assert.deepEqual(listed.body.assets, []);

    const asset = (await upload(t, ada, id, { config: CONFIG })).body.asset;
    const patched = await call(t, "PATCH", `/api/projects/${id}/assets/${asset.id}`, {
      token: ada.token,
      body: { params: { config: { ...CONFIG, privileged: true } } },
    });
    assert.equal(patched.status, 422);
    assert.equal(patched.body.error.issues[0].path, "params");
    // A reviewer reads the library but cannot add to it.
    const rex = await signUp(t, "Rex");
    await addMember(t, id, ada, { token: rex.token, email: rex.email }, "reviewer");
    assert.equal((await upload(t, rex, id, { config: CONFIG })).status, 403);
    // A stranger does not learn the project exists.
    const eve = await signUp(t, "Eve");
    assert.equal((await upload(t, eve, id, { config: CONFIG })).status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("a node running a model config asset queues a job that carries it, for Docker agents that run them", async () => {
  const { t, ada, id } = await setup();
  try {
    const asset = (await upload(t, ada, id, { config: CONFIG })).body.asset;
    const style = (await upload(t, ada, id, {
      config: {
        ...CONFIG,
        id: "restyle",
        implements: [{ nodeType: "style.transfer", tiers: ["low"] }],
        command: ["run", "{outputs}"],
        outputs: [{ glob: "*.mp4", kind: "video" }],
      },
    })).body.asset;
    await saveGraph(t, id, graphOf([node("still", "image.generate", { prompt: "a door" })]));
    const generate = (params: Record<string, unknown>, tier = "low") =>
      call(t, "POST", `/api/projects/${id}/nodes/still/generate`, {
        token: ada.token,
        body: { type: "image.generate", tier, params: { prompt: "a door", ...params } },
      });
    const refusals: Array<[string, Record<string, unknown>, string, string]> = [
      ["another node type's", { modelConfigAssetId: style.id }, "low", "params.modelConfigAssetId"],
      [
        "a deleted one",
        { modelConfigAssetId: crypto.randomUUID() },
        "low",
        "params.modelConfigAssetId",
      ],
      ["at a tier it lacks", { modelConfigAssetId: asset.id }, "high", "tier"],
    ];
    for (const [what, params, tier, field] of refusals) {
      const res = await generate(params, tier);
      assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.issues[0].path, field, what);
    }

    // An agent with a Docker that does not say it runs model config assets is not offered it.
    const profile = agentProfile({ backends: ["comfyui", "docker"], vramMiB: 8192 });
    const older = await enrollAgent(t, ada, profile, "older");
    const queued = await generate({ modelConfigAssetId: asset.id, steps: 7 });
    assert.equal(queued.status, 201, JSON.stringify(queued.body));
    const view = (await call(t, "GET", `/api/projects/${id}/jobs/${queued.body.job.id}`, {
      token: ada.token,
    })).body.job;
    assert.deepEqual(view.modelConfig, { assetId: asset.id, version: 1, name: "Sketch model" });
    assert.equal(
      view.waiting.message,
      'no online agent runs model config assets (model config "Sketch model" v1): update the ' +
        "agent, and create its models folder",
    );
    const dockerAgent = await enrollAgent(t, ada, {
      ...profile,
      backends: profile.backends.map((b) => b.kind === "docker" ? { ...b, modelConfigs: true } : b),
    }, "docker");
    // A later version does not change what the job runs: it froze version 1.
    await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/model-config`, {
      token: ada.token,
      body: { config: { ...CONFIG, title: "Sketch model 2" } },
    });
    assert.equal(await older.claim(), null, "the older agent cannot run model config assets");
    const job = await dockerAgent.claim();
    assert.ok(job, "the Docker agent gets the job");
    assert.equal(job.id, queued.body.job.id);
    assert.deepEqual(job.modelConfig, {
      assetId: asset.id,
      version: 1,
      name: "Sketch model",
      config: CONFIG,
    });
    assert.deepEqual(job.requirements.backends, ["docker"]);
    assert.equal(job.requirements.minVramMiB, 6144);
    assert.equal(job.params.steps, 7);
  } finally {
    await t.close();
  }
});

Deno.test("a take names the model config version that ran, and a node pinned to it runs that version again", async () => {
  const { t, ada, id } = await setup();
  try {
    const asset = (await upload(t, ada, id, { config: CONFIG })).body.asset;
    await saveGraph(t, id, graphOf([node("still", "image.generate", { prompt: "a door" })]));
    const profile = agentProfile({ backends: ["docker"], vramMiB: 8192 });
    const agent = await enrollAgent(t, ada, {
      ...profile,
      backends: profile.backends.map((b) => ({ ...b, modelConfigs: true })),
    }, "docker");
    const generate = (params: Record<string, unknown>) =>
      call(t, "POST", `/api/projects/${id}/nodes/still/generate`, {
        token: ada.token,
        body: { type: "image.generate", tier: "low", params: { prompt: "a door", ...params } },
      });
    const queued = await generate({ modelConfigAssetId: asset.id });
    assert.equal(queued.status, 201, JSON.stringify(queued.body));
    // Version 2 lands while the job waits: the job, and so its take, ran version 1.
    const v2 = { ...CONFIG, title: "Sketch model 2", vramMiB: 4096 };
    const put = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/model-config`, {
      token: ada.token,
      body: { config: v2 },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const job = await agent.claim();
    assert.ok(job);
    // The Docker backend reports the params it used, which do not name the config.
    const output = await agent.upload(job.id, new TextEncoder().encode("png"), "png", "image/png");
    const done = await agent.complete(job.id, [output], {
      params: { prompt: "a door", steps: 20 },
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const ran = { assetId: asset.id, version: 1, name: "Sketch model" };
    assert.deepEqual(done.body.takes[0].lineage.modelConfig, ran);
    const listed = (await call(t, "GET", `/api/projects/${id}/takes?nodeId=still`, {
      token: ada.token,
    })).body.takes;
    assert.deepEqual(listed[0].lineage.modelConfig, ran, "the take viewer's list names it too");

    // Regenerating from the take (its settings pin the version) runs version 1, not the newest.
    const again = await generate({ modelConfigAssetId: asset.id, modelConfigVersion: 1 });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const rerun = await agent.claim();
    assert.ok(rerun);
    assert.deepEqual(rerun.modelConfig, { ...ran, config: CONFIG });
    assert.equal(rerun.requirements.minVramMiB, CONFIG.vramMiB);
    assert.equal("modelConfigVersion" in rerun.params, false, "the pin is not a model parameter");
    const newest = await generate({ modelConfigAssetId: asset.id });
    assert.equal(newest.body.job.modelConfig.version, 2, "unpinned: the newest");

    for (
      const [params, field] of [
        [{ modelConfigAssetId: asset.id, modelConfigVersion: 9 }, "params.modelConfigVersion"],
        [{ modelConfigVersion: 1 }, "params.modelConfigVersion"],
      ] as const
    ) {
      const res = await generate(params);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error.issues[0].path, field);
    }
  } finally {
    await t.close();
  }
});
