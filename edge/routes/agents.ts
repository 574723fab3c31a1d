/**
 * A user's agents: enrollment tokens (single use, 15 minutes), the list with liveness and
 * profiles, rename and revoke. Agents belong to users, not projects: an agent runs jobs of every
 * project where its owner is owner or editor.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { agents } from "../../db/schema/mod.ts";
import { enrollCommands } from "../../protocol/agent_command.ts";
import type { AppDeps, AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import {
  type AgentRow,
  capabilitiesOf,
  createEnrollmentToken,
  isOnline,
  revokeAgent,
} from "../services/agents.ts";

const agentPath = pathParams(z.object({ agentId: idSchema }));

function publicAgent(deps: AppDeps, agent: AgentRow) {
  return {
    id: agent.id,
    name: agent.name,
    online: isOnline(deps, agent),
    lastSeenAt: agent.lastSeenAt,
    createdAt: agent.createdAt,
    profile: agent.profile,
    maxVramMiB: agent.maxVramMiB,
    backends: agent.healthyBackends,
    ...capabilitiesOf(agent),
  };
}

export const agentRoutes = new Hono<AppEnv>()
  .use("*", requireUser)
  .post("/enrollment-tokens", async (c) => {
    const deps = c.get("deps");
    const { token, expiresAt } = await createEnrollmentToken(deps, currentUser(c));
    // The command the Agents page shows, runnable as given from a checkout with only Node.js.
    const { enroll: command } = enrollCommands(deps.config.PUBLIC_URL, token);
    return c.json({ token, expiresAt, command }, 201);
  })
  .get("/", async (c) => {
    const deps = c.get("deps");
    const rows = await deps.db.select().from(agents)
      .where(and(eq(agents.ownerId, currentUser(c).id), isNull(agents.revokedAt)))
      .orderBy(desc(agents.lastSeenAt));
    return c.json({ agents: rows.map((a) => publicAgent(deps, a)) });
  })
  .patch(
    "/:agentId",
    agentPath,
    ...jsonBody(z.object({ name: z.string().trim().min(1, "name is required").max(200) }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const [agent] = await deps.db.update(agents).set({ name: c.req.valid("json").name })
        .where(and(
          eq(agents.id, c.req.valid("param").agentId),
          eq(agents.ownerId, currentUser(c).id),
          isNull(agents.revokedAt),
        ))
        .returning();
      if (!agent) throw notFound("agent");
      return c.json({ agent: publicAgent(deps, agent) });
    },
  )
  .delete("/:agentId", agentPath, async (c) => {
    const revoked = await revokeAgent(
      c.get("deps"),
      currentUser(c).id,
      c.req.valid("param").agentId,
    );
    if (!revoked) throw notFound("agent");
    return c.body(null, 204);
  });
