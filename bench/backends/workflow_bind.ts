/**
 * Workflow-asset binding time for a 300-node workflow (test/fixtures/workflows/big_workflow.ts:
 * the Wan 2.2 example grown with stock nodes), in this process, both halves a user waits on:
 * - bind (the agent, per job): the file's text parsed, joined with its mapping into a template
 *   (every mapped input checked against the workflow) and the job's values written into a copy:
 *   gpu-agent/backends/comfyui/workflow_asset.ts without its fetch and hash, which are I/O;
 * - analyse (the edge, per upload or mapping edit): the file read and checked
 *   (protocol/workflows/format.ts), the mapping detected, and checked against the recorded
 *   class catalogue of both ComfyUI versions (protocol/workflows/check.ts).
 *
 * @example
 * ```ts
 * const { bind, analyse } = await measureWorkflowBinding(300, 200);
 * ```
 */
import { bindTemplate, parseTemplate } from "../../gpu-agent/backends/comfyui/templates.ts";
import {
  bindingProblems,
  detectBinding,
  readWorkflow,
  workflowBindingSchema,
} from "../../protocol/workflows/mod.ts";
import { bigWorkflow } from "../../test/fixtures/workflows/mod.ts";

const WARMUP = 20;

function timed(runs: number, work: () => void): number[] {
  for (let i = 0; i < WARMUP; i++) work();
  return Array.from({ length: runs }, () => {
    const start = performance.now();
    work();
    return performance.now() - start;
  });
}

/** Milliseconds per run of each half, `runs` samples each after a warm-up. */
export async function measureWorkflowBinding(nodes: number, runs: number) {
  const text = JSON.stringify(await bigWorkflow(nodes));
  const read = readWorkflow(text);
  if ("problem" in read) {
    throw new Error(`the benchmark workflow is refused: ${read.problem.message}`);
  }
  const binding = workflowBindingSchema.parse(
    detectBinding(read.workflow, "shot.generate", "high").binding,
  );
  const mapping = { ...binding, vramMiB: binding.vramMiB ?? 24_000 };
  const values = { prompt: "a fox in snow", negativePrompt: "blurry", seed: 7, steps: 20 };
  let sink = 0;
  const bind = timed(runs, () => {
    const template = parseTemplate("bench", {
      nodeType: "shot.generate",
      tier: "high",
      ...mapping,
    }, JSON.parse(text));
    sink += Object.keys(bindTemplate(template, values, {})).length;
  });
  const analyse = timed(runs, () => {
    const again = readWorkflow(text);
    if ("problem" in again) throw new Error(again.problem.message);
    const detected = detectBinding(again.workflow, "shot.generate", "high");
    const checked = workflowBindingSchema.parse(detected.binding);
    sink += bindingProblems(again.workflow, "shot.generate", checked).length + 1;
  });
  if (sink < runs) throw new Error("the bound workflow came back empty");
  return { bind, analyse, bytes: new TextEncoder().encode(text).byteLength };
}
