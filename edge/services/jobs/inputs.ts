/**
 * A job's inputs, resolved when it is queued: for each connected input socket of the node in
 * the project's live graph, the newest ready take of the upstream node. Upstream nodes that
 * never run (assets, control nodes) produce no takes; their connection alone satisfies a
 * required socket.
 */
import type { JobInputRow } from "../../../db/schema/mod.ts";
import type { Graph } from "../../../protocol/graph.ts";
import { isExecutable, nodeType, type NodeTypeDef } from "../../../protocol/nodes.ts";
import { inputMessages } from "../../../protocol/run_readiness.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { newestTake } from "./takes.ts";

export async function resolveInputs(
  deps: AppDeps,
  projectId: string,
  graph: Graph,
  nodeId: string,
  def: NodeTypeDef,
): Promise<JobInputRow[]> {
  const incoming = Object.values(graph.edges).filter((e) => e.to.node === nodeId);
  const inputs: JobInputRow[] = [];
  for (const socket of def.inputs) {
    const edges = incoming.filter((e) => e.to.socket === socket.name);
    if (edges.length === 0 && socket.required) {
      throw missingInput(socket.name, inputMessages.unconnected(socket.name));
    }
    let satisfied = false;
    for (const edge of edges) {
      const upstream = graph.nodes[edge.from.node];
      const upstreamDef = upstream ? nodeType(upstream.type) : undefined;
      if (!upstreamDef || !isExecutable(upstreamDef)) {
        satisfied = upstream !== undefined;
        continue;
      }
      const take = await newestTake(deps, projectId, upstream!.id);
      if (take) {
        inputs.push({ socket: socket.name, takeId: take.id });
        satisfied = true;
      }
    }
    if (socket.required && !satisfied) {
      throw missingInput(socket.name, inputMessages.noTake(socket.name));
    }
  }
  return inputs;
}

function missingInput(socket: string, message: string): ApiError {
  return new ApiError(422, "missing_input", message, [{ path: `inputs.${socket}`, message }]);
}
