import assert from "node:assert/strict";
import { bigWorkflow, exampleText, uiFormatText } from "../../test/fixtures/workflows/mod.ts";
import { agentProfile, enrollAgent } from "../../test/jobs/fake_agent.ts";
import { graphOf, node, saveGraph } from "../../test/jobs/graphs.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";

async function setup() {
  const t = await createTestApp();
  const ada = await signUp(t, "Ada");
  const id = await createProject(t, ada, "Noir");
  return { t, ada, id };
}

type User = { token: string };

function upload(t: TestApp, user: User, id: string, body: Record<string, unknown>) {
  return call(t, "POST", `/api/projects/${id}/assets/workflows`, {
    token: user.token,
    body: { name: "SDXL stills", nodeType: "image.generate", tier: "low", ...body },
  });
}

Deno.test("an API-format workflow becomes a versioned workflow asset with its detected mapping", async () => {
  const { t, ada, id } = await setup();
  try {
    const text = await exampleText("sdxl_text_to_image.json");
    const res = await upload(t, ada, id, { workflow: text, fileName: "sdxl.json" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { asset, analysis } = res.body;
    assert.equal(asset.type, "workflow");
    assert.equal(asset.version, 1);
    assert.equal(asset.params.nodeType, "image.generate");
    assert.equal(asset.params.tier, "low");
    assert.deepEqual(asset.params.binding.params.prompt, [["6", "inputs", "text"]]);
    assert.deepEqual(asset.params.binding.params.negativePrompt, [["7", "inputs", "text"]]);
    assert.deepEqual(asset.params.binding.outputs, ["9"]);
    assert.deepEqual(asset.params.binding.models, [
      { folder: "checkpoints", file: "sd_xl_base_1.0.safetensors" },
    ]);
    assert.equal(asset.params.binding.vramMiB, 12 * 1024 - 512, "the tier's GPU by default");
    assert.equal(asset.params.file.nodes, 7);
    assert.equal(asset.params.file.fileName, "sdxl.json");
    assert.deepEqual(analysis.problems, []);
    assert.equal(analysis.nodes.length, 7);
    const sampler = analysis.nodes.find((n: { id: string }) => n.id === "3");
    assert.equal(sampler.classType, "KSampler");
    assert.deepEqual(sampler.versions, ["0.3.64", "0.8.0"]);
    const seed = sampler.inputs.find((i: { name: string }) => i.name === "seed");
    assert.deepEqual(seed, { name: "seed", type: "INT", value: 0, link: null });
    // The stored file is the one uploaded, byte for byte.
    const download = await t.app.request(analysis.file.url);
    assert.equal(await download.text(), text);

    const listed = await call(t, "GET", `/api/projects/${id}/assets?type=workflow`, {
      token: ada.token,
    });
    assert.deepEqual(listed.body.assets.map((a: { name: string }) => a.name), ["SDXL stills"]);
    const structure = await call(t, "GET", `/api/projects/${id}/structure`, { token: ada.token });
    const workflows = structure.body.tree.children[0].children
      .find((c: { name: string }) => c.name === "workflows");
    assert.equal(workflows.children[0].name, "SDXL stills");
  } finally {
    await t.close();
  }
});

Deno.test("a UI-format workflow is refused with 422 saying to export it with Save (API)", async () => {
  const { t, ada, id } = await setup();
  try {
    const res = await upload(t, ada, id, { workflow: await uiFormatText() });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "ui_format_workflow");
    assert.equal(res.body.error.issues[0].path, "workflow");
    assert.match(res.body.error.message, /export the workflow with "Save \(API\)"/);
    const listed = await call(t, "GET", `/api/projects/${id}/assets`, { token: ada.token });
    assert.deepEqual(listed.body.assets, []);
  } finally {
    await t.close();
  }
});

Deno.test("limits: over 2 MB, over 500 nodes, links to missing nodes are refused naming the field", async () => {
  const { t, ada, id } = await setup();
  try {
    const sdxl = JSON.parse(await exampleText("sdxl_text_to_image.json"));
    const padded = structuredClone(sdxl);
    padded["9"].inputs.filename_prefix = "x".repeat(2.1 * 1024 * 1024);
    const big = await upload(t, ada, id, { workflow: JSON.stringify(padded) });
    assert.equal(big.status, 422);
    assert.equal(big.body.error.issues[0].path, "workflow");
    assert.match(
      big.body.error.message,
      /^workflow: the file is 2\.1 MB; a workflow is at most 2 MB$/,
    );

    // Far over: refused before the body is read, still naming the field.
    padded["9"].inputs.filename_prefix = "x".repeat(7 * 1024 * 1024);
    const huge = await upload(t, ada, id, { workflow: JSON.stringify(padded) });
    assert.equal(huge.status, 413);
    assert.match(huge.body.error.message, /^workflow: .*a workflow is at most 2 MB/);

    const many = await upload(t, ada, id, {
      nodeType: "shot.generate",
      workflow: JSON.stringify(await bigWorkflow(501)),
    });
    assert.equal(many.status, 422);
    assert.equal(many.body.error.message, "workflow: 501 nodes; a workflow has at most 500");
    const fiveHundred = await upload(t, ada, id, {
      nodeType: "shot.generate",
      tier: "high",
      workflow: JSON.stringify(await bigWorkflow(500)),
    });
    assert.equal(fiveHundred.status, 201, JSON.stringify(fiveHundred.body));

    const broken = structuredClone(sdxl);
    delete broken["5"];
    const dangling = await upload(t, ada, id, { workflow: JSON.stringify(broken) });
    assert.equal(dangling.status, 422);
    assert.equal(dangling.body.error.issues[0].path, "workflow.3.inputs.latent_image");
    assert.match(dangling.body.error.message, /links to node 5, which the workflow lacks/);
  } finally {
    await t.close();
  }
});

Deno.test("the mapping is validated against the classes' recorded inputs; adjusting it makes a version", async () => {
  const { t, ada, id } = await setup();
  try {
    const workflow = await exampleText("sdxl_text_to_image.json");
    const created = await upload(t, ada, id, { workflow });
    const asset = created.body.asset;
    const base = `/api/projects/${id}/assets/${asset.id}/workflow`;
    const binding = structuredClone(asset.params.binding);

    // An input KSampler does not have in either recorded /object_info.
    binding.params.steps = [["3", "inputs", "step_count"]];
    const wrong = await call(t, "PUT", base, { token: ada.token, body: { binding } });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, "invalid_binding");
    assert.deepEqual(wrong.body.error.issues, [{
      path: "binding.params.steps.0",
      message: 'binding.params.steps.0: KSampler (node 3) has no input "step_count" in ' +
        "ComfyUI 0.3.64 or 0.8.0",
    }]);
    // The same refusal on upload.
    const refused = await upload(t, ada, id, { workflow, binding });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.issues[0].path, "binding.params.steps.0");

    // Adjusted: the negative prompt is left as the workflow has it, the VRAM said.
    const adjusted = structuredClone(asset.params.binding);
    delete adjusted.params.negativePrompt;
    adjusted.vramMiB = 9000;
    const saved = await call(t, "PUT", base, {
      token: ada.token,
      body: { binding: adjusted, baseVersion: 1 },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.asset.version, 2);
    assert.equal(saved.body.asset.params.binding.params.negativePrompt, undefined);
    assert.equal(saved.body.asset.params.binding.vramMiB, 9000);
    assert.equal(saved.body.asset.params.file.sha256, asset.params.file.sha256, "same file");
    assert.ok(saved.body.analysis.detected.params.negativePrompt, "detection still proposes it");

    const stale = await call(t, "PUT", base, {
      token: ada.token,
      body: { binding: adjusted, baseVersion: 1 },
    });
    assert.equal(stale.status, 409);

    // A new file: the mapping is detected in it again; versions and rollback as for any asset.
    const wan = await call(t, "PUT", base, {
      token: ada.token,
      body: {
        workflow: await exampleText("wan22_t2v_14b.json"),
        nodeType: "shot.generate",
        tier: "high",
      },
    });
    assert.equal(wan.status, 200, JSON.stringify(wan.body));
    assert.equal(wan.body.asset.version, 3);
    assert.deepEqual(wan.body.asset.params.binding.params.frames, [["59", "inputs", "length"]]);
    const versions = await call(t, "GET", `/api/projects/${id}/assets/${asset.id}/versions`, {
      token: ada.token,
    });
    assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [3, 2, 1]);
    const rolled = await call(t, "POST", `/api/projects/${id}/assets/${asset.id}/rollback`, {
      token: ada.token,
      body: { version: 2 },
    });
    assert.equal(rolled.body.asset.version, 4);
    const back = await call(t, "GET", base, { token: ada.token });
    assert.equal(back.body.analysis.nodeType, "image.generate");
    assert.equal(back.body.analysis.binding.vramMiB, 9000);
    assert.equal(back.body.analysis.nodes.length, 7, "version 2's file");
  } finally {
    await t.close();
  }
});

Deno.test("workflows are made and changed only through their own routes", async () => {
  const { t, ada, id } = await setup();
  try {
    const generic = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "workflow", name: "No file" },
    });
    assert.equal(generic.status, 422);
    assert.equal(generic.body.error.issues[0].path, "type");
    const created = await upload(t, ada, id, {
      workflow: await exampleText("sdxl_text_to_image.json"),
    });
    const asset = created.body.asset;
    const patched = await call(t, "PATCH", `/api/projects/${id}/assets/${asset.id}`, {
      token: ada.token,
      body: { params: { file: { key: "projects/other/secret.json" } } },
    });
    assert.equal(patched.status, 422);
    assert.equal(patched.body.error.issues[0].path, "params");
    const renamed = await call(t, "PATCH", `/api/projects/${id}/assets/${asset.id}`, {
      token: ada.token,
      body: { name: "SDXL boards" },
    });
    assert.equal(renamed.body.asset.name, "SDXL boards");
    assert.deepEqual(renamed.body.asset.params, asset.params, "the mapping is kept");

    const character = await call(t, "POST", `/api/projects/${id}/assets`, {
      token: ada.token,
      body: { type: "character", name: "Rey" },
    });
    const notWorkflow = await call(
      t,
      "GET",
      `/api/projects/${id}/assets/${character.body.asset.id}/workflow`,
      { token: ada.token },
    );
    assert.equal(notWorkflow.status, 422);
    assert.equal(notWorkflow.body.error.issues[0].path, "workflowId");

    const ffmpegOnly = await upload(t, ada, id, {
      nodeType: "upscale",
      tier: "standard",
      workflow: await exampleText("sdxl_text_to_image.json"),
    });
    assert.equal(ffmpegOnly.status, 422);
    assert.equal(ffmpegOnly.body.error.issues[0].path, "nodeType");
    assert.match(ffmpegOnly.body.error.message, /do not run on ComfyUI/);
  } finally {
    await t.close();
  }
});

Deno.test("a node pinned to a workflow version (a take's settings) runs that version, not the newest", async () => {
  const { t, ada, id } = await setup();
  try {
    const asset = (await upload(t, ada, id, {
      workflow: await exampleText("sdxl_text_to_image.json"),
    })).body.asset;
    const adjusted = structuredClone(asset.params.binding);
    adjusted.vramMiB = 9000;
    const v2 = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/workflow`, {
      token: ada.token,
      body: { binding: adjusted },
    });
    assert.equal(v2.body.asset.version, 2);
    await saveGraph(t, id, graphOf([node("still", "image.generate", { prompt: "a door" })]));
    const generate = (params: Record<string, unknown>) =>
      call(t, "POST", `/api/projects/${id}/nodes/still/generate`, {
        token: ada.token,
        body: {
          type: "image.generate",
          tier: "low",
          params: { prompt: "a door", workflowAssetId: asset.id, ...params },
        },
      });
    const pinned = await generate({ workflowVersion: 1 });
    assert.equal(pinned.status, 201, JSON.stringify(pinned.body));
    const view = (await call(t, "GET", `/api/projects/${id}/jobs/${pinned.body.job.id}`, {
      token: ada.token,
    })).body.job;
    assert.equal(view.workflow.version, 1);
    assert.equal(view.requirements.minVramMiB, asset.params.binding.vramMiB, "version 1's need");
    const newest = await generate({});
    assert.equal(newest.body.job.workflow.version, 2);
    const missing = await generate({ workflowVersion: 5 });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.issues[0].path, "params.workflowVersion");
  } finally {
    await t.close();
  }
});

Deno.test("capabilities judge every version of a workflow: a node pinned to an older one is told about that one", async () => {
  const { t, ada, id } = await setup();
  try {
    const asset = (await upload(t, ada, id, {
      workflow: await exampleText("sdxl_text_to_image.json"),
    })).body.asset;
    // Version 2 also loads a LoRA no agent has.
    const withLora = structuredClone(asset.params.binding);
    withLora.models.push({ folder: "loras", file: "ink_lora.safetensors" });
    const v2 = await call(t, "PUT", `/api/projects/${id}/assets/${asset.id}/workflow`, {
      token: ada.token,
      body: { binding: withLora },
    });
    assert.equal(v2.body.asset.version, 2);
    const profile = agentProfile({ models: ["sd_xl_base_1.0.safetensors"] });
    profile.backends[0]!.workflows = true;
    await enrollAgent(t, ada, profile);
    const res = await call(t, "GET", `/api/projects/${id}/capabilities`, { token: ada.token });
    assert.equal(res.status, 200);
    const [newest] = res.body.workflows;
    assert.deepEqual([newest.version, newest.agents], [2, 0]);
    assert.match(newest.blocked.message, /no online agent has `ink_lora\.safetensors`/);
    assert.deepEqual(
      res.body.workflowVersions.map((w: { assetId: string; version: number; agents: number }) => [
        w.assetId,
        w.version,
        w.agents,
      ]),
      [[asset.id, 1, 1]],
      "version 1 (what a pinned node runs) can run now",
    );
    assert.equal(res.body.workflowVersions[0].blocked, null);
  } finally {
    await t.close();
  }
});
