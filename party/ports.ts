/**
 * What the transport-free room needs from its host: storage, the edge, a clock and sockets.
 * party/main.ts supplies PartyKit's; tests supply the in-memory ones in party/memory_ports.ts.
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

export interface RoomClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

/** One open socket as the room sees it. */
export interface RoomSocket {
  readonly id: string;
  send(text: string): void;
  close(code: number, reason: string): void;
}

export const systemClock: RoomClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as number,
  clearTimeout: (handle) => clearTimeout(handle),
};
