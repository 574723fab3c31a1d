/** `GET /api/projects/:id/structure`: the virtual production folder tree. */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { projects } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { requireRole } from "../middleware/project_access.ts";
import { renderEntries } from "../services/jobs/takes.ts";
import { projectStructure } from "../services/structure.ts";
import { notFound } from "../errors.ts";

export const structureRoutes = new Hono<AppEnv>()
  .get("/:id/structure", requireRole("reviewer"), async (c) => {
    const deps = c.get("deps");
    const [project] = await deps.db.select({ id: projects.id, name: projects.name }).from(projects)
      .where(eq(projects.id, c.get("access").projectId)).limit(1);
    if (!project) throw notFound("project");
    return c.json({
      tree: await projectStructure(deps, project, await renderEntries(deps, project.id)),
    });
  });
