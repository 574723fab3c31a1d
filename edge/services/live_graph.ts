/**
 * The graph the studio shows, for what the edge does with it. The canvas edits the project's
 * room, which flushes revisions to the database only after changes stop; so before the edge
 * queues a job it asks the room to store its live graph now (`graph.flush`) and reads the
 * revision the room names, and a revert is ordered by the room (`graph.revert`) rather than
 * written beside it. The room is the one authority; the database's current revision stands in
 * only where no room holds anything newer (no room server, as in route tests).
 */
import { emptyGraph } from "../../protocol/graph.ts";
import type { AppDeps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { currentGraph, getRevision, type StoredRevision, storeRevision } from "./graph_store.ts";

/** The project's graph as its room holds it now, and the revision that stores it. */
export async function liveGraph(deps: AppDeps, projectId: string): Promise<StoredRevision> {
  let answer: { revision: number } | null = null;
  try {
    answer = await deps.notifier.ask(projectId, { type: "graph.flush" });
  } catch (error) {
    // A room server that is down takes no edits either: its last flush is the newest there is.
    deps.log({ msg: "room unreachable: using the stored graph", projectId, error: String(error) });
  }
  if (!answer) return await currentGraph(deps, projectId);
  if (answer.revision === 0) return { revision: 0, graph: emptyGraph() }; // never edited
  const row = await getRevision(deps, projectId, answer.revision);
  if (!row) throw new Error(`the room named revision ${answer.revision}, which is not stored`);
  return { revision: answer.revision, graph: row.graph };
}

/**
 * Makes revision `target` current again, in the room's order: edits the room had not flushed
 * are stored first (as their own revision), and no flush of an older graph can land after it.
 * Refused (503) when the room cannot be reached, rather than written behind its back.
 */
export async function revertGraph(
  deps: AppDeps,
  projectId: string,
  target: StoredRevision,
  authorId: string,
): Promise<number> {
  let answer: { revision: number } | null;
  try {
    answer = await deps.notifier.ask(projectId, {
      type: "graph.revert",
      revision: target.revision,
      authorId,
    });
  } catch (error) {
    deps.log({ msg: "revert: room did not answer", projectId, error: String(error) });
    throw new ApiError(
      503,
      "room_unavailable",
      "the project's live room did not confirm the revert; try again in a moment",
    );
  }
  return answer?.revision ?? await storeRevision(deps, projectId, {
    graph: target.graph,
    message: `Revert to revision ${target.revision}`,
    authorIds: [authorId],
  });
}
