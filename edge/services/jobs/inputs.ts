/**
 * A job's inputs, resolved when it is queued and kept as its lineage: for each connected input
 * socket of the node in the project's live graph, the upstream node's selected take (selects.ts:
 * the one chosen for it, else its newest), or, for a library asset node, the asset's version at
 * that moment, with its first reference image when the socket takes an image (a character's
 * picture feeding a shot's `reference`). Control nodes and asset nodes that name no asset
 * produce nothing; their connection alone satisfies a required socket.
 */
import { and, eq, isNull } from "drizzle-orm";
import { assets, type JobInputRow } from "../../../db/schema/mod.ts";
import type { Graph, GraphNode } from "../../../protocol/graph.ts";
import { isExecutable, nodeType, type NodeTypeDef } from "../../../protocol/nodes.ts";
import { inputMessages } from "../../../protocol/run_readiness.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { isAssetImageKey } from "../asset_images.ts";
import { renderFileName } from "./file_names.ts";
import { selectedTake } from "./selects.ts";

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
      if (!upstream || !upstreamDef || !isExecutable(upstreamDef)) {
        satisfied ||= upstream !== undefined;
        const asset = upstream && await assetInput(deps, projectId, upstream, socket.type);
        if (asset) inputs.push({ socket: socket.name, asset });
        continue;
      }
      const take = await selectedTake(deps, projectId, upstream.id);
      if (take) {
        inputs.push({
          socket: socket.name,
          takeId: take.id,
          nodeId: upstream.id,
          name: renderFileName(take),
        });
        satisfied = true;
      }
    }
    if (socket.required && !satisfied) {
      throw missingInput(socket.name, inputMessages.noTake(socket.name));
    }
  }
  return inputs;
}

/** The library asset an asset node stands for, at its current version; undefined for none. */
async function assetInput(
  deps: AppDeps,
  projectId: string,
  node: GraphNode,
  socketType: string,
): Promise<Extract<JobInputRow, { asset: unknown }>["asset"] | undefined> {
  const assetId = node.params["assetId"];
  if (!node.type.startsWith("asset.") || typeof assetId !== "string") return undefined;
  const [row] = await deps.db.select({
    id: assets.id,
    type: assets.type,
    version: assets.version,
    name: assets.name,
    images: assets.referenceImageKeys,
  }).from(assets).where(and(
    eq(assets.id, assetId),
    eq(assets.projectId, projectId),
    isNull(assets.deletedAt),
  )).limit(1).catch((error) => {
    // A row stored before JSON was bounded, that cannot be read: lineage without it.
    if (error instanceof SyntaxError || error?.cause instanceof SyntaxError) return [];
    throw error;
  });
  if (!row) return undefined;
  const { images, ...asset } = row;
  const ownImages = images.filter((key) => isAssetImageKey({ ...row, projectId }, key));
  const imageKey = socketType === "image" ? ownImages[0] : undefined;
  return imageKey ? { ...asset, imageKey } : asset;
}

function missingInput(socket: string, message: string): ApiError {
  return new ApiError(422, "missing_input", message, [{ path: `inputs.${socket}`, message }]);
}
