import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { TIERS } from "../../../protocol/tiers.ts";
import { bindTemplate, loadTemplates, parseTemplate, TemplateError } from "./templates.ts";

const templates = await loadTemplates();

Deno.test("the shipped templates cover image.generate and shot.generate at every tier", () => {
  for (const nodeType of ["image.generate", "shot.generate"]) {
    for (const tier of TIERS) {
      assert.ok(
        templates.some((t) => t.binding.nodeType === nodeType && t.binding.tier === tier),
        `${nodeType} at ${tier}`,
      );
    }
  }
});

Deno.test("every template binds only parameters its node type has", () => {
  for (const t of templates) {
    const params = Object.keys(NODE_TYPES[t.binding.nodeType]!.params.shape);
    for (const key of Object.keys(t.binding.params)) {
      assert.ok(params.includes(key), `${t.name}: ${key}`);
    }
    const sockets = NODE_TYPES[t.binding.nodeType]!.inputs.map((i) => i.name);
    for (const socket of Object.keys(t.binding.inputs)) {
      assert.ok(sockets.includes(socket), `${t.name}: ${socket}`);
    }
  }
});

Deno.test("bindTemplate writes each value at every path and leaves the template untouched", () => {
  const t = templates.find((x) => x.name === "shot.generate.low")!;
  const prompt = bindTemplate(t, {
    prompt: "rain on a window",
    seed: 99,
    frames: 49,
    fps: 12,
    unknown: 1,
  }, {});
  assert.equal(prompt["6"]!.inputs.text, "rain on a window");
  assert.equal(prompt["3"]!.inputs.seed, 99);
  assert.equal(prompt["40"]!.inputs.length, 49);
  assert.equal(prompt["57"]!.inputs.fps, 12);
  assert.equal(prompt["7"]!.inputs.text, "", "unbound values keep the workflow's own");
  assert.equal(t.workflow["6"]!.inputs.text, "", "the template itself is not changed");
});

Deno.test("bindTemplate puts uploaded file names into LoadImage and demands required inputs", () => {
  const t = templates.find((x) => x.name === "shot.generate.standard.i2v")!;
  assert.equal(
    bindTemplate(t, {}, { reference: "abc_reference.png" })["56"]!.inputs.image,
    "abc_reference.png",
  );
  assert.throws(() => bindTemplate(t, {}, {}), /needs the "reference" input/);
});

Deno.test("a binding pointing at a node or input the workflow lacks is refused, naming the field", () => {
  const workflow = {
    "1": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "x" } },
  };
  const binding = {
    nodeType: "image.generate",
    tier: "low",
    vramMiB: 1,
    models: [],
    outputs: ["1"],
  };
  assert.throws(
    () =>
      parseTemplate("t", { ...binding, params: { prompt: [["9", "inputs", "text"]] } }, workflow),
    (e: Error) => e instanceof TemplateError && /params\.prompt points at node 9/.test(e.message),
  );
  assert.throws(
    () =>
      parseTemplate("t", { ...binding, params: { prompt: [["1", "inputs", "text"]] } }, workflow),
    /params\.prompt points at SaveImage \(node 1\) input "text"/,
  );
  assert.throws(
    () => parseTemplate("t", { ...binding, tier: "ultra", params: {} }, workflow),
    /t\.binding\.json: tier/,
  );
});

Deno.test("a template's footprint declares its VRAM and model files", () => {
  const t = templates.find((x) => x.name === "image.generate.high")!;
  assert.ok(t.footprint.vramMiB > 16 * 1024);
  assert.ok(t.footprint.models.includes("flux1-dev.safetensors"));
  assert.ok(t.classes.includes("FluxGuidance"));
});
