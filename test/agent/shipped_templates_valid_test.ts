/**
 * Every ComfyUI template the agent ships is a prompt both recorded ComfyUI servers (0.3.64 and
 * 0.8.0, shared/protocols/comfyui) accept: each class exists, each input is one the class
 * declares, values have the right type and range (combos list the template's model files, as
 * ComfyUI lists a model folder), and links join matching types. Bound with the node type's
 * default parameters, so what is checked is what a job sends.
 */
import assert from "node:assert/strict";
import { bindTemplate, loadTemplates } from "../../gpu-agent/backends/comfyui/mod.ts";
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { buildObjectInfo } from "../fakes/comfyui/object_info.ts";
import { readRecordedServer } from "../fakes/comfyui/recordings.ts";
import type { ComfyVersion } from "../fakes/comfyui/types.ts";
import { validatePrompt } from "../fakes/comfyui/validate.ts";

const templates = await loadTemplates();

for (const version of ["0.3.64", "0.8.0"] as ComfyVersion[]) {
  const { objectInfo } = await readRecordedServer(version);
  for (const template of templates) {
    Deno.test(`template ${template.name} is a valid prompt for ComfyUI ${version}`, () => {
      const models = (folder: string) =>
        template.binding.models.filter((m) => m.folder === folder).map((m) => m.file);
      const files = Object.fromEntries(
        Object.keys(template.binding.inputs).map((socket) => [socket, `${socket}.png`]),
      );
      const info = buildObjectInfo({
        recorded: objectInfo,
        classes: null,
        models,
        inputFiles: () => Object.values(files),
      });
      const params = NODE_TYPES[template.binding.nodeType]!.params.parse({ prompt: "a test" });
      const prompt = bindTemplate(template, { ...params, seed: 42 }, files);
      for (const [id, node] of Object.entries(prompt)) {
        const cls = info[node.class_type];
        assert.ok(cls, `node ${id}: ${version} has no class ${node.class_type}`);
        const declared = { ...cls.input.required, ...cls.input.optional, ...cls.input.hidden };
        for (const input of Object.keys(node.inputs)) {
          assert.ok(input in declared, `node ${id} (${node.class_type}) has no input "${input}"`);
        }
      }
      const result = validatePrompt(
        structuredClone(prompt),
        info,
        (name) => Object.values(files).includes(name),
      );
      assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
      assert.deepEqual(result.nodeErrors, {}, `${template.name} on ${version}`);
    });
  }
}

Deno.test("the audio templates save through ComfyUI's stock audio nodes at every tier", () => {
  for (const tier of ["low", "standard", "high"]) {
    const t = templates.find((x) => x.name === `audio.generate.${tier}`);
    assert.ok(t, `audio.generate.${tier} ships`);
    assert.ok(
      t.classes.includes("ConditioningStableAudio") && t.classes.includes("VAEDecodeAudio"),
    );
    assert.ok(t.classes.some((c) => c === "SaveAudio" || c === "SaveAudioMP3"));
  }
});
