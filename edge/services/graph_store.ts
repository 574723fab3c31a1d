/**
 * Graph revisions: the database's copy of each project's film graph. Revision numbers are
 * allocated inside one batch (a transaction), so two writers can never store the same number.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { graphRevisions } from "../../db/schema/mod.ts";
import { emptyGraph, type Graph, salvageGraph } from "../../protocol/graph.ts";
import type { AppDeps } from "../context.ts";
import { conflict, notFound } from "../errors.ts";

export interface StoredRevision {
  revision: number;
  graph: Graph;
  /**
   * Nodes and edges of a revision stored before today's rules that no longer fit them (params
   * nested too deep, say), left out of `graph`; absent when there are none.
   */
  setAside?: string[];
}

/**
 * Opening a project, enqueuing a job and every room start read this, so it is one hand-written
 * statement on the raw client that hands back the JSON as text (see lib/json_text.ts). A graph
 * SQLite cannot read (nested deeper than its 1,000 levels, stored before params were bounded)
 * comes back as text instead, for `readStoredGraph`.
 */
const CURRENT_GRAPH_SQL = `
  select iif(json_valid(g.graph), json_object('revision', g.revision, 'graph', json(g.graph)), null)
      as body,
    g.revision as revision, iif(json_valid(g.graph), null, g.graph) as unreadable
  from projects p
  join graph_revisions g on g.project_id = p.id and g.revision = p.current_revision
  where p.id = ? limit 1`;

/** `{revision, graph, setAside?}` as JSON text, for routes that send it as it is. */
export async function currentGraphJson(deps: AppDeps, projectId: string): Promise<string> {
  const result = await deps.db.$client.execute({ sql: CURRENT_GRAPH_SQL, args: [projectId] });
  const row = result.rows[0];
  if (!row) return JSON.stringify({ revision: 0, graph: emptyGraph() });
  if (typeof row.body === "string") return row.body;
  return JSON.stringify(readStoredGraph(Number(row.revision), row.unreadable));
}

/**
 * A stored revision's graph from its text: the nodes and edges that fit today's rules, the
 * rest listed in `setAside`. Throws 409 `unreadable_graph` when the text is no graph at all,
 * so only that project's readers hear of it.
 */
export function readStoredGraph(revision: number, text: unknown): StoredRevision {
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch {
    throw unreadableGraph(revision, "it is not valid JSON");
  }
  try {
    const { graph, setAside } = salvageGraph(value);
    return setAside.length > 0 ? { revision, graph, setAside } : { revision, graph };
  } catch {
    throw unreadableGraph(revision, "it is not a graph");
  }
}

function unreadableGraph(revision: number, why: string) {
  return conflict(
    "unreadable_graph",
    `revision ${revision} of this project's graph cannot be read (${why}); revert to another revision`,
  );
}

export async function currentGraph(deps: AppDeps, projectId: string): Promise<StoredRevision> {
  return JSON.parse(await currentGraphJson(deps, projectId)) as StoredRevision;
}

/**
 * Stores the next revision of a live project and makes it current, in one batch: the number is
 * read back from the project row the batch just moved on, so two writers never store the same
 * number. Hand-written: every room flush runs it. Throws 404 for an unknown or deleted project.
 */
export async function storeRevision(
  deps: AppDeps,
  projectId: string,
  entry: { graph: Graph; message: string; authorIds: string[] },
): Promise<number> {
  const now = deps.now();
  const [, inserted] = await deps.db.$client.batch([
    {
      sql: `update projects set current_revision = current_revision + 1, updated_at = ?
        where id = ? and deleted_at is null`,
      args: [now, projectId],
    },
    {
      sql:
        `insert into graph_revisions (project_id, revision, graph, message, author_ids, created_at)
        select id, current_revision, ?, ?, ?, ? from projects where id = ? and changes() > 0
        returning revision`,
      args: [
        JSON.stringify(entry.graph),
        entry.message,
        JSON.stringify(entry.authorIds),
        now,
        projectId,
      ],
    },
  ], "write");
  const revision = inserted?.rows[0]?.revision;
  if (typeof revision !== "number") throw notFound("project");
  return revision;
}

/** One revision, its graph read as `readStoredGraph` reads it; undefined when there is none. */
export async function getRevision(deps: AppDeps, projectId: string, revision: number) {
  const [row] = await deps.db.select({
    revision: graphRevisions.revision,
    // As text: a graph that cannot be parsed fails this one revision with a clear error.
    graph: sql<string>`${graphRevisions.graph}`,
    message: graphRevisions.message,
    authorIds: graphRevisions.authorIds,
    createdAt: graphRevisions.createdAt,
  }).from(graphRevisions)
    .where(and(eq(graphRevisions.projectId, projectId), eq(graphRevisions.revision, revision)))
    .limit(1);
  return row && { ...row, ...readStoredGraph(row.revision, row.graph) };
}

export async function listRevisions(
  deps: AppDeps,
  projectId: string,
  page: { before?: number; limit: number },
) {
  return await deps.db
    .select({
      revision: graphRevisions.revision,
      message: graphRevisions.message,
      authorIds: graphRevisions.authorIds,
      createdAt: graphRevisions.createdAt,
    })
    .from(graphRevisions)
    .where(and(
      eq(graphRevisions.projectId, projectId),
      page.before === undefined ? undefined : lt(graphRevisions.revision, page.before),
    ))
    .orderBy(desc(graphRevisions.revision))
    .limit(page.limit);
}
