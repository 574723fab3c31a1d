/**
 * The workflow mapping editor's model (WorkflowMappingEditor.tsx): which workflow inputs can be
 * bound (those holding a value, not a link), what each node parameter or image input of the
 * node type can be bound to, and the edits (rebind, unbind, add, toggle an output, change a
 * model file) as pure functions over the mapping, so they are tested without a browser. The
 * edge checks the result (protocol/workflows/check.ts) and names each wrong field by the same
 * paths the rows carry (`binding.params.seed.0`).
 */
import { NAMING_PARAMS, nodeType, RUNNER_PARAMS } from "../../../protocol/nodes.ts";
import { paramRules } from "../../../protocol/param_rules.ts";
import type { WorkflowBinding, WorkflowInputPath, WorkflowNode } from "../api/types.ts";

/** One input a value can be written into: `key` identifies it in a `<select>`. */
export interface BindableInput {
  key: string;
  path: WorkflowInputPath;
  label: string;
}

/** "KSampler #3": a workflow node by its title (or class) and id. */
export function nodeName(nodes: readonly WorkflowNode[], id: string): string {
  const found = nodes.find((n) => n.id === id);
  return `${found?.title ?? found?.classType ?? "node"} #${id}`;
}

export const pathKey = ([id, , input]: WorkflowInputPath) => JSON.stringify([id, input]);

/** Every input of the workflow that holds a value, as "KSampler #3 · seed (INT) = 42". */
export function bindableInputs(nodes: readonly WorkflowNode[]): BindableInput[] {
  return nodes.flatMap((node) =>
    node.inputs.filter((i) => i.link === null).map((i) => {
      const path: WorkflowInputPath = [node.id, "inputs", i.name];
      const value = i.value === null ? "" : ` = ${String(i.value).slice(0, 30)}`;
      return {
        key: pathKey(path),
        path,
        label: `${nodeName(nodes, node.id)} · ${i.name}${i.type ? ` (${i.type})` : ""}${value}`,
      };
    })
  );
}

/** What a binding row can map: a node parameter or one of the node type's image inputs. */
export interface Target {
  kind: "param" | "input";
  name: string;
  label: string;
}

/** The parameters and image inputs of `type` a workflow can take. */
export function targetsFor(type: string): Target[] {
  const skip = new Set([...NAMING_PARAMS, ...RUNNER_PARAMS]);
  const params = paramRules(type).filter((r) => !skip.has(r.key))
    .map((r): Target => ({ kind: "param", name: r.key, label: r.label }));
  const inputs = (nodeType(type)?.inputs ?? [])
    .filter((s) => s.type === "image" || s.type === "video")
    .map((s): Target => ({ kind: "input", name: s.name, label: `${s.name} (input file)` }));
  return [...params, ...inputs];
}

/** The mapping's paths for a target. */
export function pathsOf(binding: WorkflowBinding, target: Pick<Target, "kind" | "name">) {
  return target.kind === "param"
    ? binding.params[target.name] ?? []
    : binding.inputs[target.name]?.paths ?? [];
}

/** The field path the edge names a target's `index`-th bound input by. */
export function rowPath(target: Pick<Target, "kind" | "name">, index: number): string {
  return target.kind === "param"
    ? `binding.params.${target.name}.${index}`
    : `binding.inputs.${target.name}.paths.${index}`;
}

/**
 * The mapping with a target's `index`-th input replaced by `path` (index past the end: added;
 * path null: removed, and the target dropped when nothing is left bound).
 */
export function withPath(
  binding: WorkflowBinding,
  target: Pick<Target, "kind" | "name">,
  index: number,
  path: WorkflowInputPath | null,
): WorkflowBinding {
  const paths = [...pathsOf(binding, target)];
  if (path) paths[index] = path;
  else paths.splice(index, 1);
  if (target.kind === "param") {
    const { [target.name]: _, ...rest } = binding.params;
    return { ...binding, params: paths.length > 0 ? { ...rest, [target.name]: paths } : rest };
  }
  const { [target.name]: old, ...rest } = binding.inputs;
  const inputs = paths.length > 0
    ? { ...rest, [target.name]: { paths, required: old?.required ?? true } }
    : rest;
  return { ...binding, inputs };
}

/** The mapping with `id` among the output nodes or not. */
export function withOutput(binding: WorkflowBinding, id: string, on: boolean): WorkflowBinding {
  const outputs = binding.outputs.filter((o) => o !== id);
  return { ...binding, outputs: on ? [...outputs, id] : outputs };
}

/** The mapping with model file `index` replaced (past the end: added; null: removed). */
export function withModel(
  binding: WorkflowBinding,
  index: number,
  model: { folder: string; file: string } | null,
): WorkflowBinding {
  const models = [...binding.models];
  if (model) models[index] = model;
  else models.splice(index, 1);
  return { ...binding, models };
}

/** The message for one field without its leading "path: " (the row already shows where). */
export function issueText(
  issues: readonly { path: string; message: string }[],
  path: string,
): string | undefined {
  const issue = issues.find((i) => i.path === path || i.path.startsWith(`${path}.`));
  return issue?.message.startsWith(`${issue.path}: `)
    ? issue.message.slice(issue.path.length + 2)
    : issue?.message;
}
