/**
 * The words of a page of history (revision_summary.ts), from the page's graphs and the one just
 * before it, read in one statement. A graph too large to read for a history line, or one that
 * cannot be read, gets no words: the studio shows the revision's message instead.
 */
import { salvageGraph } from "../../protocol/graph.ts";
import type { Graph } from "../../protocol/graph.ts";
import type { AppDeps } from "../context.ts";
import { describeRevision } from "./revision_summary.ts";

/** Graphs larger than this (JSON characters) are not diffed for a history line. */
const MAX_DIFFED_CHARS = 2 * 1024 * 1024;

/** Revision number → its line, for `revisions` (with their authors' names in order). */
export async function revisionSummaries(
  deps: AppDeps,
  projectId: string,
  revisions: ReadonlyArray<{ revision: number; message: string; authorNames: string[] }>,
): Promise<Map<number, string>> {
  const summaries = new Map<number, string>();
  if (revisions.length === 0) return summaries;
  const numbers = revisions.map((r) => r.revision);
  const result = await deps.db.$client.execute({
    sql: `select revision, iif(length(graph) <= ?, graph, null) as graph from graph_revisions
      where project_id = ? and revision between ? and ?`,
    args: [MAX_DIFFED_CHARS, projectId, Math.min(...numbers) - 1, Math.max(...numbers)],
  });
  const graphs = new Map<number, Graph | null>();
  for (const row of result.rows) graphs.set(Number(row.revision), readable(row.graph));
  for (const r of revisions) {
    const after = graphs.get(r.revision);
    const before = graphs.get(r.revision - 1);
    // The first revision has nothing before it; any other needs its predecessor read.
    if (!after || (r.revision > 1 && !before)) continue;
    summaries.set(
      r.revision,
      describeRevision({
        before: before ?? null,
        after,
        authors: r.authorNames,
        message: r.message,
      }),
    );
  }
  return summaries;
}

function readable(text: unknown): Graph | null {
  if (typeof text !== "string") return null;
  try {
    return salvageGraph(JSON.parse(text)).graph;
  } catch {
    return null;
  }
}
