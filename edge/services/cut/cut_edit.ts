/**
 * A cut edit the edge makes for someone (an OpenTimelineIO import): checked first with the room's
 * own rules on the live graph, so a bad one is a 422 naming the field; then ordered by the room
 * (`cut.edit`), which relays it to everyone and stores it. Where no room answers for the project
 * (route tests), the edited graph is stored as the next revision directly.
 */
import type { GraphOp } from "../../../protocol/canvas.ts";
import { applyOp } from "../../../protocol/rules/mod.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { storeRevision } from "../graph_store.ts";
import { liveGraph } from "../live_graph.ts";

type CutOp = Extract<GraphOp, { type: `cut.${string}` }>;

/** Applies `op` through the project's room; resolves to the revision that holds it. */
export async function editCut(
  deps: AppDeps,
  projectId: string,
  op: CutOp,
  authorId: string,
): Promise<number> {
  const live = await liveGraph(deps, projectId);
  const doc = { graph: structuredClone(live.graph), deleted: new Set<string>() };
  const outcome = applyOp(doc, op);
  if (!outcome.ok) {
    throw new ApiError(422, "invalid_cut", `${outcome.field}: ${outcome.reason}`, [
      { path: outcome.field, message: outcome.reason },
    ]);
  }
  let answer: { revision: number } | null;
  try {
    answer = await deps.notifier.ask(projectId, { type: "cut.edit", op, authorId });
  } catch (error) {
    // The room refuses (409) only when someone changed the cut between our check and its turn.
    if (/answered 409/.test(String(error))) {
      throw new ApiError(409, "cut_changed", `the cut changed meanwhile: ${error}; try again`);
    }
    deps.log({ msg: "cut edit: room did not answer", projectId, error: String(error) });
    throw new ApiError(503, "room_unavailable", "the project's live room did not take the edit");
  }
  return answer?.revision ?? await storeRevision(deps, projectId, {
    graph: doc.graph,
    message: `Cut edit (${op.type})`,
    authorIds: [authorId],
  });
}
