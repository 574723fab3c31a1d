/**
 * The drawn graph as a Solid store: `reconcile` merges a snapshot keeping unchanged nodes'
 * identity (so only what changed re-renders), `produce` applies edits in place. The engine
 * reads the raw object through `raw()`: no proxy, no tracking, fast hit tests.
 */
import { createStore, produce, reconcile, unwrap } from "solid-js/store";
import { emptyGraph, type Graph } from "../../../protocol/graph.ts";
import { applyChanges, type Change } from "../canvas/changes.ts";

export function createGraphStore() {
  const [graph, setGraph] = createStore<Graph>(emptyGraph());
  return {
    graph,
    raw: (): Graph => unwrap(graph),
    apply(changes: readonly Change[]): void {
      setGraph(produce((draft) => void applyChanges(draft, changes)));
    },
    replace(next: Graph): void {
      setGraph(reconcile(structuredClone(next), { key: "id", merge: true }));
    },
  };
}

export type GraphStore = ReturnType<typeof createGraphStore>;
