import assert from "node:assert/strict";
import type { WorkflowBinding, WorkflowNode } from "../api/types.ts";
import {
  bindableInputs,
  issueText,
  rowPath,
  targetsFor,
  withModel,
  withOutput,
  withPath,
} from "./workflow_mapping.ts";

const nodes: WorkflowNode[] = [
  {
    id: "3",
    classType: "KSampler",
    title: null,
    versions: ["0.3.64", "0.8.0"],
    saves: false,
    inputs: [
      { name: "seed", type: "INT", value: 42, link: null },
      { name: "model", type: "MODEL", value: null, link: ["4", 0] },
    ],
  },
  {
    id: "6",
    classType: "CLIPTextEncode",
    title: "Positive",
    versions: ["0.3.64", "0.8.0"],
    saves: false,
    inputs: [{ name: "text", type: "STRING", value: "a cat", link: null }],
  },
];

const binding: WorkflowBinding = {
  params: { prompt: [["6", "inputs", "text"]], seed: [["3", "inputs", "seed"]] },
  inputs: {},
  outputs: ["9"],
  models: [{ folder: "checkpoints", file: "a.safetensors" }],
  vramMiB: 8192,
};

Deno.test("only inputs that hold a value can be bound, named by node title and type", () => {
  assert.deepEqual(bindableInputs(nodes).map((i) => i.label), [
    "KSampler #3 · seed (INT) = 42",
    "Positive #6 · text (STRING) = a cat",
  ]);
});

Deno.test("a still's targets: its parameters and its reference image, never naming or workflow", () => {
  const names = targetsFor("image.generate").map((t) => `${t.kind}:${t.name}`);
  assert.ok(names.includes("param:prompt") && names.includes("param:seed"));
  assert.ok(names.includes("input:reference"));
  for (const hidden of ["param:scene", "param:version", "param:workflowAssetId"]) {
    assert.ok(!names.includes(hidden), hidden);
  }
});

Deno.test("rebinding, adding and unbinding a parameter", () => {
  const seed = { kind: "param", name: "seed" } as const;
  const moved = withPath(binding, seed, 0, ["6", "inputs", "text"]);
  assert.deepEqual(moved.params.seed, [["6", "inputs", "text"]]);
  const added = withPath(binding, { kind: "param", name: "steps" }, 0, ["3", "inputs", "seed"]);
  assert.deepEqual(added.params.steps, [["3", "inputs", "seed"]]);
  const removed = withPath(binding, seed, 0, null);
  assert.equal("seed" in removed.params, false, "nothing left bound: the parameter goes");
  assert.deepEqual(binding.params.seed, [["3", "inputs", "seed"]], "the original is untouched");
});

Deno.test("an image input is bound as a required input file until unbound", () => {
  const reference = { kind: "input", name: "reference" } as const;
  const bound = withPath(binding, reference, 0, ["10", "inputs", "image"]);
  assert.deepEqual(bound.inputs.reference, { paths: [["10", "inputs", "image"]], required: true });
  assert.equal(rowPath(reference, 0), "binding.inputs.reference.paths.0");
  assert.deepEqual(withPath(bound, reference, 0, null).inputs, {});
});

Deno.test("outputs toggle and model files change, add and go", () => {
  assert.deepEqual(withOutput(binding, "12", true).outputs, ["9", "12"]);
  assert.deepEqual(withOutput(binding, "9", false).outputs, []);
  const added = withModel(binding, 1, { folder: "loras", file: "ink.safetensors" });
  assert.equal(added.models.length, 2);
  assert.deepEqual(withModel(added, 0, null).models, [
    { folder: "loras", file: "ink.safetensors" },
  ]);
});

Deno.test("a row shows its own problem without the path the edge prefixed", () => {
  const issues = [
    { path: "binding.params.seed.1", message: "binding.params.seed.1: takes STRING" },
    { path: "binding.models.0.file", message: "a file name inside the folder" },
  ];
  assert.equal(issueText(issues, "binding.params.seed.1"), "takes STRING");
  assert.equal(issueText(issues, "binding.params.seed.0"), undefined);
  assert.equal(issueText(issues, "binding.models.0"), "a file name inside the folder");
});
