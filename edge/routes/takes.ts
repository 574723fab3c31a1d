/** `GET /api/projects/:id/takes?nodeId=`: a project's (or one node's) takes, newest first. */
import { Hono } from "hono";
import { z } from "zod";
import { graphIdSchema } from "../../protocol/graph.ts";
import type { AppEnv } from "../context.ts";
import { queryParams } from "../lib/validate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { listTakes, publicTake } from "../services/jobs/takes.ts";

export const takeRoutes = new Hono<AppEnv>()
  .get(
    "/:id/takes",
    requireRole("reviewer"),
    queryParams(z.object({ nodeId: graphIdSchema.optional() })),
    async (c) => {
      const deps = c.get("deps");
      const rows = await listTakes(deps, c.get("access").projectId, c.req.valid("query").nodeId);
      const audience = c.get("principal")?.kind === "guest" ? "guest" : "member";
      return c.json({
        takes: await Promise.all(rows.map((row) => publicTake(deps, row, audience))),
      });
    },
  );
