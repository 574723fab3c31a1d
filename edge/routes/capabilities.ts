/**
 * `GET /api/projects/:id/capabilities`: per node type and tier, whether an agent online for the
 * project can run it now, why not, and where Generate would run it instead (protocol/jobs.ts
 * `WorkAvailability`). Any member may read it: reviewers see the same truth on the cards.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { requireRole } from "../middleware/project_access.ts";
import { onlineAgentsForProject } from "../services/agents.ts";
import { availability } from "../services/jobs/availability.ts";

export const capabilityRoutes = new Hono<AppEnv>()
  .get("/:id/capabilities", requireRole("reviewer"), async (c) => {
    const online = await onlineAgentsForProject(c.get("deps"), c.get("access").projectId);
    return c.json({ capabilities: availability(online) });
  });
