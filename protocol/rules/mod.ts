/**
 * The edit rules of a room's document, one pure module for the room (authoritative order), the
 * client replica (optimistic apply, rebase), the canvas (what a gesture may do) and tests, with
 * one set of refusal messages.
 *
 * @example
 * ```ts
 * import { applyOp } from "../protocol/rules/mod.ts";
 * const doc = { graph: emptyGraph(), deleted: new Set<string>() };
 * const outcome = applyOp(doc, { type: "node.delete", id: "n1" });
 * if (!outcome.ok) console.log(outcome.code, outcome.field, outcome.reason);
 * ```
 */
export { applyOp } from "./apply_op.ts";
export { checkEdge, inputTaken } from "./edge_rules.ts";
export { clipPart, cutParts, cutPartValue, joinCutParts } from "./cut_parts.ts";
export { mergeParams } from "./node_rules.ts";
export type { Applied, Outcome, Refusal, RoomDoc } from "./outcome.ts";
