/**
 * What keeps a node from running, asked before Generate (the studio, so people see it before
 * pressing) and again when the job is queued (the edge, the authority), in the same words:
 * parameters missing or invalid (param_rules.ts) and required inputs not connected.
 *
 * @example
 * ```ts
 * import { runProblems } from "./run_readiness.ts";
 * runProblems(graph, "n1"); // [{ key: "inputs.video", message: 'input "video" must be connected' }]
 * ```
 */
import type { Graph } from "./graph.ts";
import { nodeType } from "./nodes.ts";
import { type ParamProblem, paramProblems } from "./param_rules.ts";

export const inputMessages = {
  unconnected: (socket: string) => `input "${socket}" must be connected`,
  noTake: (socket: string) =>
    `input "${socket}" has no take yet: generate the node connected to it first`,
};

/** Required inputs of the node that nothing feeds, as `inputs.<socket>` problems. */
export function unconnectedInputs(graph: Graph, nodeId: string): ParamProblem[] {
  const node = graph.nodes[nodeId];
  const def = node && nodeType(node.type);
  if (!def) return [];
  const fed = new Set(
    Object.values(graph.edges).filter((e) => e.to.node === nodeId).map((e) => e.to.socket),
  );
  return def.inputs.filter((s) => s.required && !fed.has(s.name))
    .map((s) => ({ key: `inputs.${s.name}`, message: inputMessages.unconnected(s.name) }));
}

/** Every problem the node has before it can run: its parameters, then its inputs. */
export function runProblems(graph: Graph, nodeId: string): ParamProblem[] {
  const node = graph.nodes[nodeId];
  if (!node) return [];
  return [...paramProblems(node.type, node.params), ...unconnectedInputs(graph, nodeId)];
}
