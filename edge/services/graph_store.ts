/**
 * Graph revisions: the database's copy of each project's film graph. Revision numbers are
 * allocated inside one batch (a transaction), so two writers can never store the same number.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import { graphRevisions } from "../../db/schema/mod.ts";
import { emptyGraph, type Graph } from "../../protocol/graph.ts";
import type { AppDeps } from "../context.ts";
import { notFound } from "../errors.ts";

export interface StoredRevision {
  revision: number;
  graph: Graph;
}

/**
 * Opening a project, enqueuing a job and every room start read this, so it is one hand-written
 * statement on the raw client that hands back the JSON as text (see lib/json_text.ts).
 */
const CURRENT_GRAPH_SQL = `
  select json_object('revision', g.revision, 'graph', json(g.graph)) as body
  from projects p
  join graph_revisions g on g.project_id = p.id and g.revision = p.current_revision
  where p.id = ? limit 1`;

/** `{revision, graph}` as JSON text, for routes that send it as it is. */
export async function currentGraphJson(deps: AppDeps, projectId: string): Promise<string> {
  const result = await deps.db.$client.execute({ sql: CURRENT_GRAPH_SQL, args: [projectId] });
  const body = result.rows[0]?.body;
  return typeof body === "string" ? body : JSON.stringify({ revision: 0, graph: emptyGraph() });
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

export async function getRevision(deps: AppDeps, projectId: string, revision: number) {
  const [row] = await deps.db.select().from(graphRevisions)
    .where(and(eq(graphRevisions.projectId, projectId), eq(graphRevisions.revision, revision)))
    .limit(1);
  return row;
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
