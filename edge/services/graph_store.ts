/**
 * Graph revisions: the database's copy of each project's film graph. Revision numbers are
 * allocated inside one batch (a transaction), so two writers can never store the same number.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { graphRevisions, projects } from "../../db/schema/mod.ts";
import { emptyGraph, type Graph } from "../../protocol/graph.ts";
import type { AppDeps } from "../context.ts";

export interface StoredRevision {
  revision: number;
  graph: Graph;
}

export async function currentGraph(deps: AppDeps, projectId: string): Promise<StoredRevision> {
  const [row] = await deps.db
    .select({ revision: graphRevisions.revision, graph: graphRevisions.graph })
    .from(projects)
    .innerJoin(graphRevisions, and(
      eq(graphRevisions.projectId, projects.id),
      eq(graphRevisions.revision, projects.currentRevision),
    ))
    .where(eq(projects.id, projectId))
    .limit(1);
  return row ?? { revision: 0, graph: emptyGraph() };
}

export async function storeRevision(
  deps: AppDeps,
  projectId: string,
  entry: { graph: Graph; message: string; authorIds: string[] },
): Promise<number> {
  const now = deps.now();
  const [, [inserted]] = await deps.db.batch([
    deps.db.update(projects)
      .set({ currentRevision: sql`${projects.currentRevision} + 1`, updatedAt: now })
      .where(eq(projects.id, projectId)),
    deps.db.insert(graphRevisions).values({
      projectId,
      revision: sql`(select ${projects.currentRevision} from ${projects} where ${projects.id} = ${projectId})`,
      graph: entry.graph,
      message: entry.message,
      authorIds: entry.authorIds,
      createdAt: now,
    }).returning({ revision: graphRevisions.revision }),
  ]);
  return inserted!.revision;
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
