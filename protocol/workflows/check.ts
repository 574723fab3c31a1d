/**
 * Whether a mapping fits its workflow and node type, in problems that name the field
 * (`binding.params.prompt.0: ...`): every parameter is one the node type has; every bound input
 * is on its node, holds a value (not a link) and, for a stock class, is one the class declares
 * in the recorded `/object_info` (catalog.ts) with a type that can take the parameter; job
 * inputs go to image sockets of the node type; outputs are nodes that save; nothing is bound
 * twice. Also the facts people see beside it: classes the catalogue lacks, or that only one of
 * the recorded versions has.
 *
 * @example
 * ```ts
 * import { bindingProblems } from "./check.ts";
 * bindingProblems(workflow, "shot.generate", binding); // [] when it fits
 * ```
 */
import { NAMING_PARAMS, nodeType, RUNNER_PARAMS } from "../nodes.ts";
import { paramRules } from "../param_rules.ts";
import type { InputPath, WorkflowBinding } from "./binding.ts";
import { classInfo, COMFY_VERSIONS } from "./catalog.ts";
import { type ApiWorkflow, isLink } from "./format.ts";

export interface BindingProblem {
  path: string;
  message: string;
}

/** ComfyUI value types that can hold a parameter of each form kind. */
const TAKES: Record<string, readonly string[]> = {
  text: ["STRING"],
  textarea: ["STRING"],
  integer: ["INT", "FLOAT"],
  number: ["FLOAT", "INT"],
  enum: ["COMBO", "STRING"],
  boolean: ["BOOLEAN"],
};

const IMAGE_SOCKET_TYPES = new Set(["image", "video"]);

/** What is wrong with one bound input, or null. `kind`: the parameter's form kind, if any. */
function pathProblem(
  workflow: ApiWorkflow,
  [id, , input]: InputPath,
  kind: { label: string; kind: string } | null,
): string | null {
  const node = workflow[id];
  if (!node) return `node ${id} is not in the workflow`;
  const info = classInfo(node.class_type);
  const at = `${node.class_type} (node ${id})`;
  if (info && !Object.hasOwn(info.inputs, input)) {
    return `${at} has no input "${input}" in ComfyUI ${info.versions.join(" or ")}`;
  }
  if (!info && !(input in node.inputs)) {
    return `${at} has no input "${input}" in the workflow`;
  }
  if (isLink(node.inputs[input])) {
    return `${at} input "${input}" is wired to node ${
      (node.inputs[input] as [string, number])[0]
    }: bind an input that holds a value`;
  }
  const type = info?.inputs[input];
  if (kind && type && !(TAKES[kind.kind] ?? []).includes(type)) {
    return `${at} input "${input}" takes ${type}; ${kind.label} is ${
      kind.kind === "textarea" ? "text" : kind.kind
    }`;
  }
  return null;
}

/** Every problem of `binding` for `workflow` as a node of `type`; empty when it fits. */
export function bindingProblems(
  workflow: ApiWorkflow,
  type: string,
  binding: WorkflowBinding,
): BindingProblem[] {
  const def = nodeType(type);
  if (!def) return [{ path: "nodeType", message: `nodeType: unknown node type "${type}"` }];
  const problems: BindingProblem[] = [];
  const add = (path: string, message: string) =>
    problems.push({ path, message: `${path}: ${message}` });
  const rules = new Map(paramRules(type).map((r) => [r.key, r]));
  const boundAt = new Map<string, string>();
  const once = (path: string, [id, , input]: InputPath) => {
    const key = `${id}\u0000${input}`;
    const earlier = boundAt.get(key);
    if (earlier) add(path, `node ${id} input "${input}" is already bound by ${earlier}`);
    else boundAt.set(key, path);
  };
  for (const [param, paths] of Object.entries(binding.params)) {
    const rule = rules.get(param);
    // Filing and what runs the node (the workflow itself, its version) feed no model.
    if (!rule || NAMING_PARAMS.includes(param) || RUNNER_PARAMS.includes(param)) {
      add(`binding.params.${param}`, `${def.title} nodes have no parameter "${param}" to bind`);
      continue;
    }
    paths.forEach((path, i) => {
      const where = `binding.params.${param}.${i}`;
      const problem = pathProblem(workflow, path, rule);
      if (problem) add(where, problem);
      else once(where, path);
    });
  }
  for (const [socket, input] of Object.entries(binding.inputs)) {
    const def_socket = def.inputs.find((s) => s.name === socket);
    if (!def_socket || !IMAGE_SOCKET_TYPES.has(def_socket.type)) {
      const sockets = def.inputs.filter((s) => IMAGE_SOCKET_TYPES.has(s.type)).map((s) => s.name);
      add(
        `binding.inputs.${socket}`,
        `${def.title} nodes have no image or video input "${socket}"${
          sockets.length ? ` (they have ${sockets.join(", ")})` : ""
        }`,
      );
      continue;
    }
    input.paths.forEach((path, i) => {
      const where = `binding.inputs.${socket}.paths.${i}`;
      const problem = pathProblem(workflow, path, null);
      if (problem) add(where, problem);
      else once(where, path);
    });
  }
  binding.outputs.forEach((id, i) => {
    const node = workflow[id];
    const where = `binding.outputs.${i}`;
    if (!node) return add(where, `node ${id} is not in the workflow`);
    const info = classInfo(node.class_type);
    if (info && !info.output) {
      add(where, `${node.class_type} (node ${id}) saves nothing: choose a Save node`);
    }
    if (binding.outputs.indexOf(id) !== i) add(where, `node ${id} is listed twice`);
  });
  return problems;
}

/** Classes the catalogue lacks or that not every recorded version has, for people. */
export function classNotes(workflow: ApiWorkflow): string[] {
  const missing = new Map<string, string[]>();
  const partial = new Map<string, string[]>();
  for (const [id, node] of Object.entries(workflow)) {
    const info = classInfo(node.class_type);
    const into = !info ? missing : info.versions.length < COMFY_VERSIONS.length ? partial : null;
    if (into) into.set(node.class_type, [...(into.get(node.class_type) ?? []), id]);
  }
  const list = (m: Map<string, string[]>) =>
    [...m].map(([cls, ids]) => `${cls} (node ${ids.join(", ")})`).join(", ");
  const notes: string[] = [];
  if (missing.size > 0) {
    notes.push(
      `${list(missing)}: not in stock ComfyUI ${COMFY_VERSIONS.join(" or ")}; the agent's ` +
        `ComfyUI needs the custom node that provides it`,
    );
  }
  for (const [cls, ids] of partial) {
    const has = classInfo(cls)!.versions;
    notes.push(
      `${cls} (node ${ids.join(", ")}) is in ComfyUI ${has.join(", ")} but not ${
        COMFY_VERSIONS.filter((v) => !has.includes(v)).join(", ")
      }: agents on other versions cannot run it`,
    );
  }
  return notes;
}
