/**
 * Templates of the user's own: loaded from their folder beside the bundled ones, a bad one
 * skipped with one line, and the README's worked example valid on both recorded ComfyUIs.
 */
import assert from "node:assert/strict";
import { startFakeComfyUI } from "../../../test/fakes/comfyui/mod.ts";
import { writeReadmeTemplate } from "../../../test/agent/readme_template.ts";
import { ComfyUIBackend, createComfyUIBackend } from "./backend.ts";
import { DEFAULT_TEMPLATE_DIR, loadTemplateFolders, loadTemplates } from "./templates.ts";

const bundled = { dir: DEFAULT_TEMPLATE_DIR, required: true };
const bundledCount = (await loadTemplates()).length;

async function folder(files: Record<string, unknown>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "md-templates-" });
  for (const [name, body] of Object.entries(files)) {
    await Deno.writeTextFile(
      `${dir}/${name}`,
      typeof body === "string" ? body : JSON.stringify(body),
    );
  }
  return dir;
}

const saveOnly = {
  "1": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "x" } },
};
const binding = (extra: Record<string, unknown> = {}) => ({
  nodeType: "image.generate",
  tier: "low",
  vramMiB: 1024,
  models: [],
  params: {},
  outputs: ["1"],
  ...extra,
});

Deno.test("a bad template is skipped with one line naming the file, what is wrong and the fix; the rest load", async () => {
  const dir = await folder({
    "broken.binding.json": binding({ params: { prompt: [["99", "inputs", "text"]] } }),
    "broken.workflow.json": saveOnly,
    "garbled.binding.json": "{ not json",
    "garbled.workflow.json": saveOnly,
    "lonely.binding.json": binding(),
    "mine.binding.json": binding(),
    "mine.workflow.json": saveOnly,
  });
  try {
    const { templates, problems } = await loadTemplateFolders([bundled, { dir, required: true }]);
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.equal(
      problems[0],
      `template broken skipped: ${dir}/broken.binding.json: params.prompt points at node 99, ` +
        `which the workflow lacks; fix the file (gpu-agent/README.md, "Adding a template"); ` +
        `everything else runs`,
    );
    assert.match(
      problems[1]!,
      /template garbled skipped: .*garbled\.binding\.json is not valid JSON/,
    );
    assert.match(problems[2]!, /template lonely skipped: .*lonely\.workflow\.json is missing/);
    const names = templates.map((t) => t.name);
    assert.ok(names.includes("mine"));
    assert.ok(names.includes("image.generate.low"), "the bundled templates still load");
    assert.equal(names.length, bundledCount + 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a user template replaces the bundled one of its name; a missing default folder is fine, a given one is not", async () => {
  const dir = await folder({
    "image.generate.low.binding.json": binding({ description: "mine" }),
    "image.generate.low.workflow.json": saveOnly,
  });
  try {
    const { templates } = await loadTemplateFolders([bundled, { dir, required: false }]);
    const low = templates.filter((t) => t.name === "image.generate.low");
    assert.equal(low.length, 1);
    assert.equal(low[0]!.binding.description, "mine");
    const absent = { dir: `${dir}/nope`, required: false };
    assert.deepEqual((await loadTemplateFolders([absent])).problems, []);
    const given = await loadTemplateFolders([{ ...absent, required: true }]);
    assert.match(given.problems[0]!, /templates folder .*nope cannot be read/);
    const backend = await createComfyUIBackend({ userTemplates: { ...absent, required: true } });
    assert.equal(backend.templateProblems.length, 1, "the backend carries the problem");
    assert.equal(backend.templates.length, bundledCount, "and has the bundled templates");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const version of ["0.3.64", "0.8.0"] as const) {
  Deno.test(`the README's worked example runs on ComfyUI ${version}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "md-templates-" });
    const work = await Deno.makeTempDir({ prefix: "md-work-" });
    await writeReadmeTemplate(dir);
    const { templates, problems } = await loadTemplateFolders([{ dir, required: true }]);
    assert.deepEqual(problems, []);
    const fake = await startFakeComfyUI({ version, models: {} });
    const backend = new ComfyUIBackend({ url: fake.url, templates, clientId: "readme" });
    try {
      const without = await backend.probe();
      assert.deepEqual(without.blocked?.[0]?.missingModels, [
        { folder: "checkpoints", file: "sd_xl_turbo_1.0_fp16.safetensors" },
      ]);
      fake.setModels("checkpoints", ["sd_xl_turbo_1.0_fp16.safetensors"]);
      const status = await backend.probe();
      assert.deepEqual(status.runnable, [{
        nodeType: "image.generate",
        tier: "low",
        params: ["negativePrompt", "prompt", "seed"],
      }]);
      const result = await backend.run({
        jobId: crypto.randomUUID(),
        nodeType: "image.generate",
        tier: "low",
        params: { prompt: "a red door", seed: 5 },
        inputs: [],
        workDir: work,
      }, { signal: new AbortController().signal, onProgress: () => {} });
      assert.equal(result.template, "image.generate.low.turbo");
      assert.equal(result.outputs[0]?.contentType, "image/png");
    } finally {
      await backend.close();
      await fake.stop();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(work, { recursive: true });
    }
  });
}
