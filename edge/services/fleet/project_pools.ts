/**
 * Which pools run a project's jobs (db/schema/fleet.ts): the pools chosen for it, or, when none
 * were, the personal pools of its owners and editors (a personal pool's id is its owner's id).
 * One rule, written once as SQL, read by the claim, the agents a project sees and the metrics.
 */
import { and, eq, sql } from "drizzle-orm";
import { projectPools } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { notFound } from "../../errors.ts";
import { usablePoolIds } from "./pools.ts";

/**
 * SQL that is true when pool `pool` may serve project `project` (both SQL expressions; `pool`
 * appears twice, so a `?` there takes two arguments). Each branch is an index lookup.
 */
export function projectServedBy(project: string, pool: string): string {
  return `(exists (select 1 from project_pools g where g.project_id = ${project}
      and g.pool_id = ${pool})
    or (exists (select 1 from project_members pm where pm.project_id = ${project}
        and pm.user_id = ${pool} and pm.role in ('owner', 'editor'))
      and not exists (select 1 from project_pools g where g.project_id = ${project})))`;
}

/** The ids of the pools serving a project, as SQL over `project` (one `?` or an expression). */
export function poolsServing(project: string): string {
  return `select g.pool_id from project_pools g where g.project_id = ${project}
    union all
    select pm.user_id from project_members pm where pm.project_id = ${project}
      and pm.role in ('owner', 'editor')
      and not exists (select 1 from project_pools g where g.project_id = ${project})`;
}

export interface ProjectPool {
  id: string;
  name: string;
  kind: "studio" | "personal";
}

/** The pools serving a project and whether they were chosen or are the default. */
export async function projectPoolList(
  deps: AppDeps,
  projectId: string,
): Promise<{ chosen: boolean; pools: ProjectPool[] }> {
  const listed = await deps.db.$client.execute({
    sql: `select p.id as id, p.name as name, p.studio_id as studioId from pools p
      where p.id in (${poolsServing("?1")}) order by lower(p.name)`,
    args: [projectId],
  });
  const [chosen] = await deps.db.select({ poolId: projectPools.poolId }).from(projectPools)
    .where(eq(projectPools.projectId, projectId)).limit(1);
  return {
    chosen: chosen !== undefined,
    pools: (listed.rows as unknown as { id: string; name: string; studioId: string | null }[])
      .map((r) => ({ id: r.id, name: r.name, kind: r.studioId ? "studio" : "personal" })),
  };
}

/**
 * Replaces the pools chosen for a project ([] returns it to the default). Each must be one the
 * owner may use (their personal pool, their studios' pools); any other is 404, whether it exists
 * or not, so nothing is learnt about other studios' pools.
 */
export async function chooseProjectPools(
  deps: AppDeps,
  projectId: string,
  userId: string,
  poolIds: string[],
): Promise<void> {
  const wanted = [...new Set(poolIds)];
  const usable = new Set(await usablePoolIds(deps, userId, wanted));
  const missing = wanted.find((id) => !usable.has(id));
  if (missing) throw notFound(`pool ${missing}`);
  const now = deps.now();
  await deps.db.batch([
    deps.db.delete(projectPools).where(and(
      eq(projectPools.projectId, projectId),
      wanted.length > 0 ? sql`${projectPools.poolId} not in ${wanted}` : undefined,
    )),
    ...(wanted.length > 0
      ? [
        deps.db.insert(projectPools).values(
          wanted.map((poolId) => ({ projectId, poolId, grantedBy: userId, createdAt: now })),
        ).onConflictDoNothing(),
      ]
      : []),
  ]);
  // A pool that may now serve the project's queued jobs should look at once.
  if (wanted.length > 0) deps.dispatcher.wake();
}
