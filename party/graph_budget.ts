/**
 * Keeps a room's graph within what the edge takes as one revision (`MAX_GRAPH_BYTES`): a room
 * that grew past it could never flush again. Each node's and edge's size (UTF-8 bytes of its
 * JSON) is kept by id, so checking an op costs one stringify of what it touched, not of the
 * whole graph.
 *
 * @example
 * ```ts
 * const budget = new GraphBudget(graph);
 * const total = budget.measure(graph, ["n1"], []);
 * if (total.bytes <= MAX_ROOM_GRAPH_BYTES) budget.commit(total);
 * ```
 */
import { type Graph, MAX_GRAPH_BYTES } from "../protocol/graph.ts";
import { cutParts, cutPartValue } from "../protocol/rules/mod.ts";

/** The graph's share of a flush body, which also carries a message and author ids. */
export const MAX_ROOM_GRAPH_BYTES = MAX_GRAPH_BYTES - 64 * 1024;

export interface Measured {
  bytes: number;
  sizes: Map<string, number>;
}

const encoder = new TextEncoder();

export class GraphBudget {
  #sizes = new Map<string, number>();
  #bytes = 0;

  constructor(graph: Graph) {
    this.reset(graph);
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Measures a whole graph afresh (a load, or a graph replaced by the edge). */
  reset(graph: Graph): void {
    this.#sizes.clear();
    this.#bytes = 0;
    const parts = Object.values(graph.cuts ?? {}).flatMap(cutParts);
    this.commit(this.measure(graph, Object.keys(graph.nodes), Object.keys(graph.edges), parts));
  }

  /** The size the graph has now, given that only these nodes, edges and cut parts changed. */
  measure(
    graph: Graph,
    nodeIds: Iterable<string>,
    edgeIds: Iterable<string>,
    cutPartIds: Iterable<string> = [],
  ): Measured {
    let bytes = this.#bytes;
    const sizes = new Map<string, number>();
    const add = (key: string, id: string, value: unknown) => {
      // `"id":` and a comma around the value, in the graph's JSON.
      const size = value === undefined ? 0 : _utf8(JSON.stringify(value)) + _utf8(id) + 4;
      bytes += size - (sizes.get(key) ?? this.#sizes.get(key) ?? 0);
      sizes.set(key, size);
    };
    for (const id of nodeIds) add(`node ${id}`, id, graph.nodes[id]);
    for (const id of edgeIds) add(`edge ${id}`, id, graph.edges[id]);
    // A part's share of the cut's JSON, near enough: the budget guards megabytes, not bytes.
    for (const part of cutPartIds) add(`cut ${part}`, part, cutPartValue(graph, part));
    return { bytes, sizes };
  }

  commit(measured: Measured): void {
    for (const [key, size] of measured.sizes) {
      if (size === 0) this.#sizes.delete(key);
      else this.#sizes.set(key, size);
    }
    this.#bytes = measured.bytes;
  }
}

function _utf8(text: string): number {
  // ASCII is one byte a character; only text with other characters is encoded to count.
  // deno-lint-ignore no-control-regex -- the ASCII range starts at \x00 on purpose
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}
