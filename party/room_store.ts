/**
 * How a room's state lies in its storage: one key per node and per edge (so an edit writes a few
 * small values, never the whole graph), one per cut part (a cut's own properties, and each clip:
 * protocol/rules/cut_parts.ts), tombstones of deleted nodes, the edge's last word on each
 * access subject (party/access.ts), and `meta` with the sequence number and what has been flushed
 * to the edge.
 */
import { type Graph, salvageGraph } from "../protocol/graph.ts";
import { cutParts, cutPartValue, joinCutParts } from "../protocol/rules/mod.ts";
import type { AccessRecord } from "./access.ts";
import type { RoomStorage } from "./ports.ts";

export interface RoomMeta {
  /** Changes when the room's history restarts (first load, or a revert). */
  epoch: string;
  seq: number;
  /** The last `seq` the edge has as a revision. */
  flushedSeq: number;
  /** Users whose changes are not flushed yet. */
  authors: string[];
  revision: number;
}

export interface StoredRoom {
  meta: RoomMeta;
  graph: Graph;
  deleted: Set<string>;
  /** Access subject → the edge's latest change to it. */
  access: Map<string, AccessRecord>;
}

const NODE = "node:";
const EDGE = "edge:";
const TOMB = "tomb:";
const ACCESS = "access:";
const CUT = "cut:";

/**
 * The stored room, or null when there is none. Nodes and edges stored before today's rules that
 * no longer fit them (params nested too deep, say) are left out of the graph and listed in
 * `setAside`; they stay in storage and in the edge's revision history.
 */
export async function readRoom(
  storage: RoomStorage,
): Promise<{ room: StoredRoom; setAside: string[] } | null> {
  const meta = await storage.get<RoomMeta>("meta");
  if (!meta) return null;
  const stored: {
    nodes: Record<string, unknown>;
    edges: Record<string, unknown>;
    cuts?: Record<string, unknown>;
  } = { nodes: {}, edges: {} };
  for (const [key, node] of await storage.list<unknown>(NODE)) {
    stored.nodes[key.slice(NODE.length)] = node;
  }
  for (const [key, edge] of await storage.list<unknown>(EDGE)) {
    stored.edges[key.slice(EDGE.length)] = edge;
  }
  const parts = [...await storage.list<unknown>(CUT)].map(([key, value]) =>
    [key.slice(CUT.length), value] as [string, unknown]
  );
  if (parts.length > 0) stored.cuts = joinCutParts(parts);
  const { graph, setAside } = salvageGraph(stored);
  const deleted = new Set(
    [...(await storage.list<true>(TOMB)).keys()].map((k) => k.slice(TOMB.length)),
  );
  const access = new Map<string, AccessRecord>();
  for (const [key, record] of await storage.list<AccessRecord>(ACCESS)) {
    access.set(key.slice(ACCESS.length), record);
  }
  return { room: { meta, graph, deleted, access }, setAside };
}

/** The storage key of a deleted node's tombstone (dropped when the node is restored). */
export function tombKey(nodeId: string): string {
  return TOMB + nodeId;
}

/**
 * The writes that record `graph`'s current value of the given nodes, edges and cut parts
 * (absent → deleted).
 */
export function changeEntries(
  graph: Graph,
  nodeIds: Iterable<string>,
  edgeIds: Iterable<string>,
  cutPartIds: Iterable<string> = [],
): { put: Record<string, unknown>; remove: string[] } {
  const put: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const id of nodeIds) {
    const node = graph.nodes[id];
    if (node) put[NODE + id] = node;
    else {
      remove.push(NODE + id);
      put[TOMB + id] = true;
    }
  }
  for (const id of edgeIds) {
    const edge = graph.edges[id];
    if (edge) put[EDGE + id] = edge;
    else remove.push(EDGE + id);
  }
  for (const part of cutPartIds) {
    const value = cutPartValue(graph, part);
    if (value) put[CUT + part] = value;
    else remove.push(CUT + part);
  }
  return { put, remove };
}

/** Writes a whole room (first load, or a revert), dropping `previous`. */
export async function writeWholeRoom(
  storage: RoomStorage,
  room: StoredRoom,
  previous: Graph | null,
): Promise<void> {
  if (previous) {
    const stale = [
      ...Object.keys(previous.nodes).map((id) => NODE + id),
      ...Object.keys(previous.edges).map((id) => EDGE + id),
      ...Object.values(previous.cuts ?? {}).flatMap(cutParts).map((part) => CUT + part),
    ];
    await _deleteInChunks(storage, stale);
  }
  const tombs = [...(await storage.list<true>(TOMB)).keys()];
  await _deleteInChunks(storage, tombs.filter((k) => !room.deleted.has(k.slice(TOMB.length))));
  const entries: Record<string, unknown> = { meta: room.meta };
  for (const node of Object.values(room.graph.nodes)) entries[NODE + node.id] = node;
  for (const edge of Object.values(room.graph.edges)) entries[EDGE + edge.id] = edge;
  for (const id of room.deleted) entries[TOMB + id] = true;
  for (const part of Object.values(room.graph.cuts ?? {}).flatMap(cutParts)) {
    entries[CUT + part] = cutPartValue(room.graph, part);
  }
  await _putInChunks(storage, entries);
}

export function accessKey(subject: string): string {
  return ACCESS + subject;
}

// Durable Object storage takes at most 128 keys per call.
const CHUNK = 128;

async function _putInChunks(storage: RoomStorage, entries: Record<string, unknown>): Promise<void> {
  const all = Object.entries(entries);
  for (let i = 0; i < all.length; i += CHUNK) {
    await storage.put(Object.fromEntries(all.slice(i, i + CHUNK)));
  }
}

async function _deleteInChunks(storage: RoomStorage, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) await storage.delete(keys.slice(i, i + CHUNK));
}
