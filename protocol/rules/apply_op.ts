/**
 * Applies one op to a room's document under the rules of its family, in place, or refuses it.
 * The room applies ops in arrival order ("last writer" is the last to reach the room); a client
 * replica applying the same accepted ops in `seq` order reaches the same document; the canvas
 * applies its own and its teammates' edits with the same rules.
 *
 * A new family of ops (the cut's, say) adds its file of rules beside node_rules.ts and
 * edge_rules.ts and one line to `RULES`.
 */
import type { GraphOp } from "../canvas.ts";
import { cutRules } from "./cut_rules.ts";
import { edgeRules } from "./edge_rules.ts";
import { nodeRules } from "./node_rules.ts";
import type { Outcome, RoomDoc, Rule, Rules } from "./outcome.ts";

const RULES: Rules<GraphOp> = { ...nodeRules, ...edgeRules, ...cutRules };

export function applyOp(doc: RoomDoc, op: GraphOp): Outcome {
  // One rule per type: the table's type says each gets its own op's shape.
  return (RULES[op.type] as Rule<GraphOp>)(doc, op);
}
