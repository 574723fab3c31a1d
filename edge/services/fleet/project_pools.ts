/**
 * Which pools run a project's jobs (db/schema/fleet.ts): the pools chosen for it, or, when none
 * were, the personal pools of its owners and editors (a personal pool's id is its owner's id).
 * One rule, written once as SQL, read by the claim, the agents a project sees and the metrics.
 */
import { and, eq, sql } from "drizzle-orm";
import { projectPools } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { notFound } from "../../errors.ts";
import { ensurePersonalPool, personalPoolName, usablePoolIds } from "./pools.ts";

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

/**
 * The pools serving a project and whether they were chosen or are the default. A member's
 * personal pool serves by default before its row exists (it is made when they first enroll an
 * agent or open their pools): it is listed by its owner's name all the same, as the claim's rule
 * (`poolsServing`) counts it.
 */
export async function projectPoolList(
  deps: AppDeps,
  projectId: string,
): Promise<{ chosen: boolean; pools: ProjectPool[] }> {
  const listed = await deps.db.$client.execute({
    sql: `select s.pool_id as id, p.name as name, p.studio_id as studioId, u.name as userName
      from (${poolsServing("?1")}) s
      left join pools p on p.id = s.pool_id
      left join users u on u.id = s.pool_id
      where p.id is not null or u.id is not null`,
    args: [projectId],
  });
  const [chosen] = await deps.db.select({ poolId: projectPools.poolId }).from(projectPools)
    .where(eq(projectPools.projectId, projectId)).limit(1);
  type Row = { id: string; name: string | null; studioId: string | null; userName: string | null };
  const pools = (listed.rows as unknown as Row[]).map((r): ProjectPool => ({
    id: r.id,
    name: r.name ?? personalPoolName(r.userName!),
    kind: r.studioId ? "studio" : "personal",
  }));
  return {
    chosen: chosen !== undefined,
    pools: pools.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
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
  user: { id: string; name: string },
  poolIds: string[],
): Promise<void> {
  const wanted = [...new Set(poolIds)];
  // Their own personal pool is theirs to choose before anything made its row.
  if (wanted.includes(user.id)) await ensurePersonalPool(deps, user);
  const usable = new Set(await usablePoolIds(deps, user.id, wanted));
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
          wanted.map((poolId) => ({ projectId, poolId, grantedBy: user.id, createdAt: now })),
        ).onConflictDoNothing(),
      ]
      : []),
  ]);
  // A pool that may now serve the project's queued jobs should look at once.
  if (wanted.length > 0) deps.dispatcher.wake();
}
