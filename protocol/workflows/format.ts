/**
 * A workflow file as people export it from ComfyUI, read and checked before anything else
 * looks at it: API format only ("Save (API)": an object of nodes, each with `class_type` and
 * `inputs`, links written `[nodeId, outputIndex]`), at most 2 MB and 500 nodes, every link
 * joining nodes the file has. The edge refuses anything else with the first problem, naming
 * the field; the studio runs the same check before it uploads.
 *
 * @example
 * ```ts
 * import { readWorkflow } from "./format.ts";
 * const read = readWorkflow(await file.text());
 * if ("problem" in read) alert(read.problem.message);
 * ```
 */
import { jsonBoundsProblem } from "../bounded_json.ts";

export const WORKFLOW_MAX_BYTES = 2 * 1024 * 1024;
export const WORKFLOW_MAX_NODES = 500;
/** Deep enough for any widget value; the bound keeps recursive code safe (bounded_json.ts). */
const MAX_DEPTH = 32;

/** One node of an API-format workflow. */
export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}
/** An API-format workflow: node id → node. */
export type ApiWorkflow = Record<string, WorkflowNode>;

export type WorkflowProblemCode =
  | "workflow_too_large"
  | "not_json"
  | "ui_format"
  | "not_a_workflow"
  | "too_many_nodes"
  | "bad_node"
  | "missing_link_target";

export interface WorkflowProblem {
  code: WorkflowProblemCode;
  /** The field: `workflow`, or `workflow.<nodeId>.inputs.<name>`. */
  path: string;
  message: string;
}

export const UI_FORMAT_MESSAGE =
  `this is ComfyUI's UI format (it has "nodes" and "links"): in ComfyUI, export the workflow ` +
  `with "Save (API)" (Workflow → Export (API)) and upload that file`;

/** `[nodeId, outputIndex]`: how an API-format input names the output feeding it. */
export function isLink(value: unknown): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" &&
    Number.isInteger(value[1]);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The parsed workflow with its size in bytes, or the first thing wrong with the file. */
export function readWorkflow(
  text: string,
): { workflow: ApiWorkflow; bytes: number } | { problem: WorkflowProblem } {
  const problem = (code: WorkflowProblemCode, message: string, path = "workflow") => ({
    problem: { code, path, message: `${path}: ${message}` },
  });
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > WORKFLOW_MAX_BYTES) {
    return problem("workflow_too_large", `the file is ${mb(bytes)}; a workflow is at most 2 MB`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return problem("not_json", `not JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return problem(
      "not_a_workflow",
      `not a ComfyUI workflow: expected an object of nodes, exported with "Save (API)"`,
    );
  }
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.nodes) && Array.isArray(record.links)) {
    return problem("ui_format", UI_FORMAT_MESSAGE);
  }
  const depth = jsonBoundsProblem(value, { maxDepth: MAX_DEPTH, maxChars: WORKFLOW_MAX_BYTES });
  if (depth) return problem("not_a_workflow", `the file ${depth}`);
  const ids = Object.keys(record);
  if (ids.length === 0) return problem("not_a_workflow", "the workflow has no nodes");
  if (ids.length > WORKFLOW_MAX_NODES) {
    return problem(
      "too_many_nodes",
      `${ids.length} nodes; a workflow has at most ${WORKFLOW_MAX_NODES}`,
    );
  }
  for (const id of ids) {
    const at = `workflow.${id}`;
    const node = record[id] as Record<string, unknown> | null;
    if (id.length > 100) return problem("bad_node", "a node id is over 100 characters", at);
    if (!node || typeof node !== "object" || Array.isArray(node)) {
      return problem("bad_node", `not a node: expected {"class_type", "inputs"}`, at);
    }
    if (typeof node.class_type !== "string" || node.class_type.length === 0) {
      return problem(
        "bad_node",
        'has no class_type: is this an API-format export ("Save (API)")?',
        `${at}.class_type`,
      );
    }
    if (node.class_type.length > 200) {
      return problem("bad_node", "is over 200 characters", `${at}.class_type`);
    }
    const inputs = node.inputs;
    if (!inputs || typeof inputs !== "object" || Array.isArray(inputs)) {
      return problem("bad_node", "expected an object of inputs", `${at}.inputs`);
    }
    for (const [name, input] of Object.entries(inputs)) {
      if (!isLink(input) || Object.hasOwn(record, input[0])) continue;
      return problem(
        "missing_link_target",
        `links to node ${input[0]}, which the workflow lacks`,
        `${at}.inputs.${name}`,
      );
    }
  }
  return { workflow: record as ApiWorkflow, bytes };
}
