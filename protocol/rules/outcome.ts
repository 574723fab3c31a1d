/**
 * What the edit rules work on and answer with, shared by every op family (one file each:
 * node_rules.ts, edge_rules.ts, cut_rules.ts). A rule applies its op to the document in place and says what it
 * touched, or refuses and leaves the document as it was.
 */
import type { GraphOp, RejectCode } from "../canvas.ts";
import type { Graph } from "../graph.ts";

/** The content a room holds and orders edits of: the graph, and the ids its nodes once had. */
export interface RoomDoc {
  graph: Graph;
  /**
   * Ids of deleted nodes. Ids are never reused, so a stale update or a replayed create cannot
   * bring a deleted node back; only a create with `restore` can.
   */
  deleted: Set<string>;
}

/** Why an op cannot be applied: the room sends it back as a `reject` with the same fields. */
export interface Refusal {
  ok: false;
  code: RejectCode;
  /** The op's field at fault (`edge.to.socket`, say). */
  field: string;
  /** A sentence for the person whose edit it was. */
  reason: string;
}

/** An applied op: the nodes and edges whose stored value it changed, and how to take it back. */
export interface Applied {
  ok: true;
  nodes: readonly string[];
  edges: readonly string[];
  /**
   * The parts of cuts it changed (rules/cut_parts.ts): `cutId` for a cut's own properties and
   * audio tracks, `cutId/clipId` for one clip. Absent when it changed no cut.
   */
  cuts?: readonly string[];
  /** Puts the document back as it was before the op (the room does when the graph got too big). */
  undo(): void;
}

export type Outcome = Applied | Refusal;

/** The rule for one op type. */
export type Rule<Op> = (doc: RoomDoc, op: Op) => Outcome;

/** The rules of one family of ops, by op type. */
export type Rules<Op extends { type: string }> = {
  [T in Op["type"]]: Rule<Extract<Op, { type: T }>>;
};

/** One op type of the graph ops. */
export type OpOf<T extends GraphOp["type"]> = Extract<GraphOp, { type: T }>;

/** The ids an op did not touch (one shared empty list: ops are applied at every keystroke). */
export const NONE: readonly string[] = Object.freeze([]);

export function refuse(code: RejectCode, field: string, reason: string): Refusal {
  return { ok: false, code, field, reason };
}
