import assert from "node:assert/strict";
import type { WorkflowBinding } from "./binding.ts";
import { bindingProblems, classNotes } from "./check.ts";
import { detectBinding } from "./detect.ts";
import type { ApiWorkflow } from "./format.ts";

const sdxl = async () =>
  JSON.parse(
    await Deno.readTextFile(
      new URL("../../examples/workflows/sdxl_text_to_image.json", import.meta.url),
    ),
  ) as ApiWorkflow;

async function problems(change: (b: WorkflowBinding) => void, type = "image.generate") {
  const workflow = await sdxl();
  const { binding } = detectBinding(workflow, "image.generate", "standard");
  change(binding);
  return bindingProblems(workflow, type, binding).map((p) => p.message);
}

Deno.test("the detected mapping of a stock workflow has no problems", async () => {
  assert.deepEqual(await problems(() => {}), []);
});

Deno.test("an input the class lacks in the recorded object_info is named with the class", async () => {
  assert.deepEqual(
    await problems((b) => void (b.params.prompt = [["6", "inputs", "txt"]])),
    ['binding.params.prompt.0: CLIPTextEncode (node 6) has no input "txt" in ComfyUI 0.3.64 or 0.8.0'],
  );
});

Deno.test("a parameter bound to an input of the wrong type is refused", async () => {
  assert.deepEqual(
    await problems((b) => void (b.params.prompt = [["3", "inputs", "seed"]])),
    ['binding.params.prompt.0: KSampler (node 3) input "seed" takes INT; Prompt is text'],
  );
});

Deno.test("one input bound to two parameters is refused", async () => {
  assert.deepEqual(
    await problems((b) => void (b.params.height = [["5", "inputs", "width"]])),
    ['binding.params.height.0: node 5 input "width" is already bound by binding.params.width.0'],
  );
});

Deno.test("a wired input, a missing node, a non-saving output and a foreign parameter are refused", async () => {
  assert.deepEqual(
    await problems((b) => {
      b.params.cfg = [["3", "inputs", "model"]];
      b.params.steps = [["42", "inputs", "steps"]];
      b.params.frames = [["3", "inputs", "denoise"]];
      b.outputs = ["8"];
    }),
    [
      "binding.params.steps.0: node 42 is not in the workflow",
      'binding.params.cfg.0: KSampler (node 3) input "model" is wired to node 4: bind an input that holds a value',
      'binding.params.frames: Image nodes have no parameter "frames" to bind',
      "binding.outputs.0: VAEDecode (node 8) saves nothing: choose a Save node",
    ],
  );
});

Deno.test("job inputs go only to the node type's image or video sockets", async () => {
  const found = await problems((b) =>
    void (b.inputs.sketch = { paths: [["4", "inputs", "ckpt_name"]], required: true })
  );
  assert.deepEqual(found, [
    'binding.inputs.sketch: Image nodes have no image or video input "sketch" (they have reference)',
  ]);
  const shot = await problems(
    (b) => void (b.inputs.reference = { paths: [["4", "inputs", "ckpt_name"]], required: true }),
    "shot.generate",
  );
  assert.deepEqual(shot, []);
});

Deno.test("a custom class is checked against its own inputs and noted", () => {
  const workflow: ApiWorkflow = {
    "1": { class_type: "MyPromptNode", inputs: { words: "hi" } },
    "2": { class_type: "VHS_VideoCombine", inputs: { images: ["1", 0], frame_rate: 8 } },
  };
  const binding: WorkflowBinding = {
    params: { prompt: [["1", "inputs", "words"]], fps: [["2", "inputs", "frame_rate"]] },
    inputs: {},
    outputs: ["2"],
    models: [],
  };
  assert.deepEqual(bindingProblems(workflow, "shot.generate", binding), []);
  binding.params.prompt = [["1", "inputs", "text"]];
  assert.deepEqual(bindingProblems(workflow, "shot.generate", binding).map((p) => p.message), [
    'binding.params.prompt.0: MyPromptNode (node 1) has no input "text" in the workflow',
  ]);
  assert.deepEqual(classNotes(workflow), [
    "MyPromptNode (node 1), VHS_VideoCombine (node 2): not in stock ComfyUI 0.3.64 or 0.8.0; " +
    "the agent's ComfyUI needs the custom node that provides it",
  ]);
});
