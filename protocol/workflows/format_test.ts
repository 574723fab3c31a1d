import assert from "node:assert/strict";
import { bigWorkflow } from "../../test/fixtures/workflows/big_workflow.ts";
import { readWorkflow, WORKFLOW_MAX_NODES } from "./format.ts";

const fixture = (name: string) =>
  Deno.readTextFile(new URL(`../../test/fixtures/workflows/${name}`, import.meta.url));
const example = (name: string) =>
  Deno.readTextFile(new URL(`../../examples/workflows/${name}`, import.meta.url));

const problemOf = (text: string) => {
  const read = readWorkflow(text);
  assert.ok("problem" in read, "refused");
  return read.problem;
};

Deno.test("an API-format export is read with its size", async () => {
  const text = await example("sdxl_text_to_image.json");
  const read = readWorkflow(text);
  assert.ok("workflow" in read);
  assert.equal(read.bytes, new TextEncoder().encode(text).byteLength);
  assert.equal(read.workflow["3"]?.class_type, "KSampler");
});

Deno.test("a UI-format file is refused with how to export it in API format", async () => {
  const problem = problemOf(await fixture("sdxl_ui_format.json"));
  assert.equal(problem.code, "ui_format");
  assert.equal(problem.path, "workflow");
  assert.match(problem.message, /Save \(API\)/);
});

Deno.test("a file over 2 MB is refused before it is parsed, saying its size", () => {
  const text = JSON.stringify({ "1": { class_type: "Note", inputs: { text: "x".repeat(2.2e6) } } });
  const problem = problemOf(text);
  assert.equal(problem.code, "workflow_too_large");
  assert.match(problem.message, /^workflow: the file is 2\.1 MB; a workflow is at most 2 MB$/);
});

Deno.test("more than 500 nodes are refused naming the count", async () => {
  const text = JSON.stringify(await bigWorkflow(WORKFLOW_MAX_NODES + 1));
  const problem = problemOf(text);
  assert.equal(problem.code, "too_many_nodes");
  assert.equal(problem.message, "workflow: 501 nodes; a workflow has at most 500");
  assert.ok("workflow" in readWorkflow(JSON.stringify(await bigWorkflow(WORKFLOW_MAX_NODES))));
});

Deno.test("a link to a node the workflow lacks is refused naming the input", async () => {
  const workflow = JSON.parse(await example("sdxl_text_to_image.json"));
  delete workflow["5"]; // the latent feeding KSampler 3
  const problem = problemOf(JSON.stringify(workflow));
  assert.equal(problem.code, "missing_link_target");
  assert.equal(problem.path, "workflow.3.inputs.latent_image");
  assert.match(problem.message, /links to node 5, which the workflow lacks/);
});

Deno.test("what is not a workflow says so, naming the field", () => {
  assert.equal(problemOf("{nope").code, "not_json");
  assert.equal(problemOf("[]").code, "not_a_workflow");
  assert.equal(problemOf("{}").message, "workflow: the workflow has no nodes");
  const noClass = problemOf(JSON.stringify({ "4": { inputs: {} } }));
  assert.equal(noClass.path, "workflow.4.class_type");
  const badInputs = problemOf(JSON.stringify({ "4": { class_type: "X", inputs: [] } }));
  assert.equal(badInputs.path, "workflow.4.inputs");
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  const tooDeep = problemOf(JSON.stringify({ "4": { class_type: "X", inputs: { a: deep } } }));
  assert.match(tooDeep.message, /nested deeper than 32 levels/);
});
