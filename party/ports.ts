/**
 * What the transport-free room needs from its host: storage, the edge and sockets (and a clock,
 * protocol/clock.ts). party/main.ts supplies PartyKit's; tests supply in-memory ones
 * (party/memory_storage.ts, test/rooms/room_harness.ts).
 */
import type { Graph } from "../protocol/graph.ts";

/** Durable key-value storage (PartyKit room storage, i.e. Durable Object storage). */
export interface RoomStorage {
  get<T>(key: string): Promise<T | undefined>;
  list<T>(prefix: string): Promise<Map<string, T>>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export interface FlushRequest {
  graph: Graph;
  message: string;
  authorIds: string[];
}

/** The edge's internal API (edge/API.md, "Internal"). Methods throw when the edge is unreachable. */
export interface EdgeApi {
  /** The project's current revision, or null when the edge does not know the project. */
  loadGraph(): Promise<{ revision: number; graph: Graph } | null>;
  /** The graph of one stored revision (a revert's target). */
  loadRevision(revision: number): Promise<Graph>;
  flushRevision(request: FlushRequest): Promise<{ revision: number }>;
}

/** One open socket as the room sees it. */
export interface RoomSocket {
  readonly id: string;
  send(text: string): void;
  close(code: number, reason: string): void;
}
