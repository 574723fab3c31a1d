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
import { boundedJsonObject } from "./bounded_json.ts";
import { type Cut, cutSchema } from "./cut.ts";
import { graphIdSchema } from "./graph_id.ts";

export { graphIdSchema };

export const graphNodeSchema = z.object({
  id: graphIdSchema,
  type: z.string().min(1).max(64),
  title: z.string().max(200),
  x: z.number().finite(),
  y: z.number().finite(),
  /** Bounded in depth and size (bounded_json.ts), as every stored free-form value is. */
  params: boundedJsonObject(),
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
  /**
   * The project's cuts (protocol/cut.ts), kept in the graph so the room orders, stores, flushes
   * and reverts them with it. Absent in revisions from before cuts.
   */
  cuts: z.record(graphIdSchema, cutSchema).optional(),
}).strict();
export type Graph = z.infer<typeof graphSchema>;

/**
 * Reads a graph kept from before today's rules (a room's storage, an old revision): the nodes,
 * edges and cuts that fit the schema, and one line for each that does not and was set aside, with
 * the edges that would lose an end. One bad node does not keep the rest of the graph from
 * loading. Throws only when `value` is not a graph at all.
 */
export function salvageGraph(value: unknown): { graph: Graph; setAside: string[] } {
  const shape = z.object({
    nodes: z.record(z.string(), z.unknown()),
    edges: z.record(z.string(), z.unknown()),
  }).passthrough().parse(value);
  const graph = emptyGraph();
  const setAside: string[] = [];
  for (const [id, raw] of Object.entries(shape.nodes)) {
    const node = graphNodeSchema.safeParse(raw);
    if (node.success && node.data.id === id) graph.nodes[id] = node.data;
    else setAside.push(`node ${id}: ${_why(node)}`);
  }
  for (const [id, raw] of Object.entries(shape.edges)) {
    const edge = graphEdgeSchema.safeParse(raw);
    if (!edge.success || edge.data.id !== id) setAside.push(`edge ${id}: ${_why(edge)}`);
    else if (!graph.nodes[edge.data.from.node] || !graph.nodes[edge.data.to.node]) {
      setAside.push(`edge ${id}: an end is missing`);
    } else graph.edges[id] = edge.data;
  }
  const cuts = z.record(z.string(), z.unknown()).optional().safeParse(
    (value as { cuts?: unknown }).cuts,
  );
  if (!cuts.success) setAside.push(`cuts: ${_why(cuts)}`);
  for (const [id, raw] of Object.entries(cuts.data ?? {})) {
    const cut = cutSchema.safeParse(raw);
    const keyed = cut.success && cut.data.id === id &&
      Object.entries(cut.data.clips).every(([key, c]) => c.id === key) &&
      Object.entries(cut.data.audioTracks).every(([key, t]) => t.id === key);
    if (keyed) (graph.cuts ??= {})[id] = cut.data as Cut;
    else setAside.push(`cut ${id}: ${_why(cut)}`);
  }
  return { graph, setAside };
}

function _why(result: { success: boolean; error?: z.ZodError }): string {
  const issue = result.error?.issues[0];
  if (!issue) return "its id differs from its key";
  return `${issue.path.join(".") || "(value)"}: ${issue.message}`;
}

/** The largest graph the edge stores as one revision (UTF-8 bytes of its JSON), by default. */
export const MAX_GRAPH_BYTES = 8 * 1024 * 1024;

export function emptyGraph(): Graph {
  return { nodes: {}, edges: {} };
}

/** Ids of the nodes whose outputs feed `nodeId` directly. */
export function upstreamNodeIds(graph: Graph, nodeId: string): string[] {
  return Object.values(graph.edges).filter((e) => e.to.node === nodeId).map((e) => e.from.node);
}
