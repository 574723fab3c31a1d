/** Projects: create, list mine (most recent first), read, update, soft delete. */
import { and, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { activity, projectMembers, projects, users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { newId } from "../lib/ids.ts";
import { jsonBody, queryParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { notFound } from "../errors.ts";

const name = z.string().trim().min(1, "name is required").max(120);
const createSchema = z.object({
  name,
  title: z.string().trim().max(200).optional(),
  description: z.string().max(5000).default(""),
}).strict();
const updateSchema = z.object({
  name: name.optional(),
  title: z.string().trim().max(200).optional(),
  description: z.string().max(5000).optional(),
}).strict().refine((b) => Object.keys(b).length > 0, "send at least one field to change");

const projectColumns = {
  id: projects.id,
  name: projects.name,
  title: projects.title,
  description: projects.description,
  ownerId: projects.ownerId,
  currentRevision: projects.currentRevision,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
};

export const projectRoutes = new Hono<AppEnv>()
  .get("/", requireUser, async (c) => {
    const user = currentUser(c);
    const rows = await c.var.deps.db
      .select({ ...projectColumns, role: projectMembers.role })
      .from(projectMembers)
      .innerJoin(projects, eq(projects.id, projectMembers.projectId))
      .where(and(eq(projectMembers.userId, user.id), isNull(projects.deletedAt)))
      .orderBy(desc(projects.updatedAt));
    return c.json({ projects: rows });
  })
  .post("/", requireUser, ...jsonBody(createSchema), async (c) => {
    const deps = c.var.deps;
    const user = currentUser(c);
    const body = c.req.valid("json");
    const now = deps.now();
    const project = {
      id: newId(),
      name: body.name,
      title: body.title || body.name,
      description: body.description,
      ownerId: user.id,
      currentRevision: 0,
      createdAt: now,
      updatedAt: now,
    };
    await deps.db.batch([
      deps.db.insert(projects).values(project),
      deps.db.insert(projectMembers).values({
        projectId: project.id,
        userId: user.id,
        role: "owner",
        createdAt: now,
      }),
    ]);
    await recordActivity(deps, {
      projectId: project.id,
      actorId: user.id,
      action: "project.create",
      subject: project.name,
    });
    return c.json({ project: { ...project, role: "owner" } }, 201);
  })
  .get("/:id", requireRole("reviewer"), async (c) => {
    const { projectId, role } = c.var.access;
    const [project] = await c.var.deps.db.select(projectColumns).from(projects)
      .where(eq(projects.id, projectId)).limit(1);
    if (!project) throw notFound("project");
    return c.json({ project: { ...project, role } });
  })
  .patch("/:id", requireRole("editor"), ...jsonBody(updateSchema), async (c) => {
    const deps = c.var.deps;
    const { projectId, role } = c.var.access;
    const body = c.req.valid("json");
    const [project] = await deps.db.update(projects)
      .set({ ...body, updatedAt: deps.now() })
      .where(eq(projects.id, projectId))
      .returning(projectColumns);
    if (!project) throw notFound("project");
    await recordActivity(deps, {
      projectId,
      actorId: currentUser(c).id,
      action: "project.update",
      subject: Object.keys(body).join(", "),
    });
    return c.json({ project: { ...project, role } });
  })
  .delete("/:id", requireRole("owner"), async (c) => {
    const deps = c.var.deps;
    const { projectId } = c.var.access;
    await deps.db.update(projects).set({ deletedAt: deps.now() }).where(eq(projects.id, projectId));
    return c.body(null, 204);
  })
  .get(
    "/:id/activity",
    requireRole("reviewer"),
    queryParams(z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) })),
    async (c) => {
      const { projectId } = c.var.access;
      const rows = await c.var.deps.db
        .select({
          id: activity.id,
          actorId: activity.actorId,
          actorName: users.name,
          action: activity.action,
          subject: activity.subject,
          at: activity.at,
        })
        .from(activity)
        .leftJoin(users, eq(users.id, activity.actorId))
        .where(eq(activity.projectId, projectId))
        .orderBy(desc(activity.at))
        .limit(c.req.valid("query").limit);
      return c.json({ activity: rows });
    },
  );
