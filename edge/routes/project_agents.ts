/**
 * `GET /api/projects/:id/agents`: the agents that serve a project (those of its owners and
 * editors), so every member knows what can run their work: each agent's name, whether it is
 * online, its GPUs and VRAM, and what it can and cannot run yet. Nothing about the people who
 * own them (no owner, no hostname), and nothing for share-link guests, who run nothing.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { agents, projectMembers } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireRole } from "../middleware/project_access.ts";
import { capabilitiesOf, isOnline } from "../services/agents.ts";

export const projectAgentRoutes = new Hono<AppEnv>()
  .get("/:id/agents", requireRole("reviewer"), async (c) => {
    if (c.get("principal")?.kind !== "user") throw notFound("project");
    const deps = c.get("deps");
    const rows = await deps.db.select().from(agents)
      .innerJoin(
        projectMembers,
        and(
          eq(projectMembers.userId, agents.ownerId),
          eq(projectMembers.projectId, c.get("access").projectId),
          inArray(projectMembers.role, ["owner", "editor"]),
        ),
      )
      .where(isNull(agents.revokedAt))
      .orderBy(asc(agents.name));
    const list = rows.map(({ agents: agent }) => ({
      id: agent.id,
      name: agent.name,
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
