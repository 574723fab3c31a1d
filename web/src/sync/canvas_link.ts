/**
 * Wires the canvas engine, the drawn graph and the room client together, framework-free: the
 * engine's edits go to the drawn graph and the room, the room's snapshots, rollbacks and
 * teammates' ops come back to the drawn graph and the engine. The studio binds it to a Solid
 * store (stores/project_session.ts); the convergence tests drive the very same wiring with a
 * plain graph, so what they prove holds for the studio's code path.
 *
 * @example
 * ```ts
 * const { engine, room } = linkCanvas({ drawn, ticket, clock, newId, readOnly, on });
 * room.start();
 * ```
 */
import type { GraphOp } from "../../../protocol/canvas.ts";
import type { Graph, GraphEdge, GraphNode } from "../../../protocol/graph.ts";
import type { Change } from "../canvas/changes.ts";
import { CanvasEngine, type EngineHost } from "../canvas/engine.ts";
import { type RoomCallbacks, RoomClient, type RoomClientOptions } from "./room_client.ts";

/** The graph the page draws. `raw` is read often (hit tests): no copies, no tracking. */
export interface DrawnGraph {
  raw(): Graph;
  apply(changes: readonly Change[]): void;
  replace(graph: Graph): void;
}

/** What changed the drawn graph from elsewhere than this user's own edits. */
export interface OutsideChange {
  /** Teammates' ops (in room order), or null for a snapshot or a rollback after a reject. */
  ops: GraphOp[] | null;
  /** Who made `ops` (a user id); null for a snapshot or rollback. */
  by: string | null;
  /** Nodes (as they were) and edges the change took away from the drawn graph. */
  removed: { nodes: GraphNode[]; edges: GraphEdge[] };
  /** This user's selection just before the change (the change may have pruned it). */
  selection: ReadonlySet<string>;
}

export interface CanvasLinkOptions extends Omit<RoomClientOptions, "callbacks"> {
  drawn: DrawnGraph;
  newId: EngineHost["newId"];
  readOnly: EngineHost["readOnly"];
  refuse?: EngineHost["refuse"];
  /** The room's callbacks but the graph ones, plus `changed` after each outside change. */
  on: Omit<RoomCallbacks, "graph" | "remoteOps"> & { changed?(change: OutsideChange): void };
}

export function linkCanvas(o: CanvasLinkOptions): { engine: CanvasEngine; room: RoomClient } {
  const { drawn, on } = o;
  /** Applies an outside change to the drawn graph and the engine, then tells `on.changed`. */
  const outside = (ops: GraphOp[] | null, by: string | null, next: Graph | null) => {
    const before = drawn.raw();
    const selection = engine.state.selection;
    // Shallow copies: the node objects a change removes stay as they were.
    const nodes = { ...before.nodes }, edges = { ...before.edges };
    if (next) drawn.replace(next);
    else drawn.apply(ops!);
    engine.graphChanged(next ? null : ops);
    const after = drawn.raw();
    const removed = {
      nodes: Object.keys(nodes).filter((id) => !after.nodes[id]).map((id) => nodes[id]!),
      edges: Object.keys(edges).filter((id) => !after.edges[id]).map((id) => edges[id]!),
    };
    on.changed?.({ ops, by, removed, selection });
  };
  const room = new RoomClient({
    ...o,
    callbacks: {
      ...on,
      graph: (graph) => outside(null, null, graph),
      remoteOps: (ops, by, rebased) => outside(ops, by, rebased),
    },
  });
  const engine = new CanvasEngine({
    graph: drawn.raw,
    apply(changes, transient) {
      // A drag step is drawn from the engine's offset, not the graph: teammates get it only.
      if (!transient) drawn.apply(changes);
      room.send(changes, transient);
    },
    newId: o.newId,
    readOnly: o.readOnly,
    ...(o.refuse ? { refuse: o.refuse } : {}),
  });
  return { engine, room };
}
