/**
 * The film graph as stored in a revision and held by a room: nodes keyed by id, edges joining
 * one node's output socket to another's input socket. The same shape is sent to browsers.
 *
 * @example
 * ```ts
 * import { graphSchema, emptyGraph } from "./graph.ts";
 * graphSchema.parse(emptyGraph());
 * ```
 */
import { z } from "zod";

/** Ids of nodes and edges are chosen by clients (UUIDs or similar short tokens). */
export const graphIdSchema = z.string().regex(
  /^[A-Za-z0-9_-]{1,64}$/,
  "ids are 1-64 letters, digits, _ or -",
);

export const graphNodeSchema = z.object({
  id: graphIdSchema,
  type: z.string().min(1).max(64),
  title: z.string().max(200),
  x: z.number().finite(),
  y: z.number().finite(),
  params: z.record(z.string(), z.unknown()),
}).strict();
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const socketRefSchema = z.object({
  node: graphIdSchema,
  socket: z.string().min(1).max(64),
}).strict();
export type SocketRef = z.infer<typeof socketRefSchema>;

export const graphEdgeSchema = z.object({
  id: graphIdSchema,
  from: socketRefSchema,
  to: socketRefSchema,
}).strict();
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphSchema = z.object({
  nodes: z.record(graphIdSchema, graphNodeSchema),
  edges: z.record(graphIdSchema, graphEdgeSchema),
}).strict();
export type Graph = z.infer<typeof graphSchema>;

export function emptyGraph(): Graph {
  return { nodes: {}, edges: {} };
}

/** Ids of the nodes whose outputs feed `nodeId` directly. */
export function upstreamNodeIds(graph: Graph, nodeId: string): string[] {
  return Object.values(graph.edges).filter((e) => e.to.node === nodeId).map((e) => e.from.node);
}
