import assert from "node:assert/strict";
import { readRecording } from "../../../test/fakes/comfyui/recordings.ts";
import type { ApiPrompt, PromptErrorBody } from "./client.ts";
import { executionFailure, validationFailure } from "./failures.ts";

const recorded = await readRecording<
  Record<string, { request: { body: { prompt: ApiPrompt } }; body: PromptErrorBody }>
>(
  "0.8.0",
  "validation_errors.json",
);

Deno.test("a recorded 400 becomes a reason naming the node, the input and the problem", () => {
  const missing = recorded.missing_required_input!;
  const failure = validationFailure(missing.body, missing.request.body.prompt);
  assert.equal(failure.code, "validation");
  assert.equal(
    failure.message,
    "ComfyUI rejected the workflow: Prompt outputs failed validation: EmptyImage (node 1) input color: Required input is missing",
  );
  const range = recorded.value_out_of_range!;
  assert.match(
    validationFailure(range.body, range.request.body.prompt).message,
    /EmptyImage \(node 1\) input width: Value 0 smaller than min of 1/,
  );
  const unknown = recorded.unknown_node_class!;
  assert.match(
    validationFailure(unknown.body, unknown.request.body.prompt).message,
    /node NoSuchNode does not exist\.: Node ID '#1'/,
  );
});

Deno.test("a recorded execution_error becomes a reason naming the node type and exception", async () => {
  const run = await readRecording<
    {
      postPrompt: { request: { body: { prompt: ApiPrompt } } };
      ws: { type: string; data: Record<string, unknown> }[];
    }
  >(
    "0.8.0",
    "run_runtime_error_loadimage.json",
  );
  const error = run.ws.find((m) => m.type === "execution_error")!;
  const failure = executionFailure(error.data, run.postPrompt.request.body.prompt);
  assert.equal(failure.code, "runtime");
  assert.equal(failure.retriable, false);
  assert.equal(
    failure.message,
    "LoadImage (node 1) failed: PIL.UnidentifiedImageError: cannot identify image file '/srv/ComfyUI/input/not_an_image.png'",
  );
});
