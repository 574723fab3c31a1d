/**
 * `GET /api/projects/:id/agents`: the agents that serve a project (those of the pools that run
 * its jobs, services/fleet/project_pools.ts: the pools its owner chose, else its owners' and
 * editors' personal pools), so every member knows what can run their work: each agent's name,
 * its studio pool (null for someone's own machine), whether it is online, its GPUs and VRAM, and what it can and cannot run yet. Nothing
 * about the people who own them (no owner, no hostname), and nothing for share-link guests, who
 * run nothing.
 */
import { asc, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { agents } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireRole } from "../middleware/project_access.ts";
import { capabilitiesOf, isOnline } from "../services/agents.ts";
import { poolsServing } from "../services/fleet/project_pools.ts";

export const projectAgentRoutes = new Hono<AppEnv>()
  .get("/:id/agents", requireRole("reviewer"), async (c) => {
    if (c.get("principal")?.kind !== "user") throw notFound("project");
    const deps = c.get("deps");
    // The same rule the claim follows (one SQL), so this lists exactly who may take its jobs.
    const serving = await deps.db.$client.execute({
      sql: `select a.id as id, p.id as poolId, p.name as poolName, p.studio_id as studioId
        from agents a
        join pools p on p.id = a.pool_id
        where a.revoked_at is null and a.pool_id in (${poolsServing("?1")})
        limit 500`,
      args: [c.get("access").projectId],
    });
    type Row = { id: string; poolId: string; poolName: string; studioId: string | null };
    // A personal pool's id and name are its owner's: those stay unsaid (null: someone's own).
    const poolOf = new Map(
      (serving.rows as unknown as Row[]).map((r) => [
        r.id,
        r.studioId === null ? null : { id: r.poolId, name: r.poolName },
      ]),
    );
    const rows = poolOf.size === 0 ? [] : await deps.db.select().from(agents)
      .where(inArray(agents.id, [...poolOf.keys()]))
      .orderBy(asc(agents.name));
    const list = rows.map((agent) => ({
      id: agent.id,
      name: agent.name,
      pool: poolOf.get(agent.id) ?? null,
      online: isOnline(deps, agent),
      lastSeenAt: agent.lastSeenAt,
      gpus: agent.profile.gpus.map((g) => ({ name: g.name, vramTotalMiB: g.vramTotalMiB })),
      maxVramMiB: agent.maxVramMiB,
      backends: agent.healthyBackends,
      ...capabilitiesOf(agent),
    }));
    // Online first: those are the ones that run a Generate now.
    return c.json({ agents: list.sort((a, b) => Number(b.online) - Number(a.online)) });
  });
