/** Projects: create, list mine (most recent first), read, update, soft delete. */
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { activity, projectMembers, projects, users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { newId } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { decimal, jsonBody, queryParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { activityStatement, recordActivity } from "../services/activity.ts";
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

/** A project as the API shows it, with the caller's role, built in SQL (`t`: table prefix). */
const projectJson = (role: string, t = "p.") =>
  `json_object('id', ${t}id, 'name', ${t}name, 'title', ${t}title,
    'description', ${t}description, 'ownerId', ${t}owner_id,
    'currentRevision', ${t}current_revision, 'createdAt', ${t}created_at,
    'updatedAt', ${t}updated_at, 'role', ${role})`;

/** The studio's home page and every project page read these: JSON built by the database. */
const LIST_SQL = `
  select json_object('projects', json_group_array(${projectJson("m.role")}
    order by p.updated_at desc)) as body
  from project_members m join projects p on p.id = m.project_id
  where m.user_id = ? and p.deleted_at is null
  limit 1`;
const READ_SQL = `select json_object('project', ${projectJson("?")}) as body
  from projects p where p.id = ? limit 1`;

/** Anything shaped like an email address inside free text. */
const EMAIL = /[^\s@]+@[^\s@]+/g;

export const projectRoutes = new Hono<AppEnv>()
  .get("/", requireUser, async (c) => {
    const user = currentUser(c);
    const result = await c.get("deps").db.$client.execute({ sql: LIST_SQL, args: [user.id] });
    return jsonText(c, String(result.rows[0]!.body));
  })
  .post("/", requireUser, ...jsonBody(createSchema), async (c) => {
    const deps = c.get("deps");
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
    const { projectId, role } = c.get("access");
    const result = await c.get("deps").db.$client.execute({
      sql: READ_SQL,
      args: [role, projectId],
    });
    const body = result.rows[0]?.body;
    if (typeof body !== "string") throw notFound("project");
    return jsonText(c, body);
  })
  .patch("/:id", requireRole("editor"), ...jsonBody(updateSchema), async (c) => {
    const deps = c.get("deps");
    const { projectId, role } = c.get("access");
    const body = c.req.valid("json");
    // The change and its log line commit together; nothing is logged if the project is gone.
    const [updated] = await deps.db.$client.batch([
      {
        sql: `update projects set name = coalesce(?, name), title = coalesce(?, title),
            description = coalesce(?, description), updated_at = ?
          where id = ? returning json_object('project', ${projectJson("?", "")}) as body`,
        args: [
          body.name ?? null,
          body.title ?? null,
          body.description ?? null,
          deps.now(),
          projectId,
          role,
        ],
      },
      activityStatement(deps, {
        projectId,
        actorId: currentUser(c).id,
        action: "project.update",
        subject: Object.keys(body).join(", "),
      }, { onlyIfChanged: true }),
    ], "write");
    const json = updated?.rows[0]?.body;
    if (typeof json !== "string") throw notFound("project");
    return jsonText(c, json);
  })
  .delete("/:id", requireRole("owner"), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    await deps.db.update(projects).set({ deletedAt: deps.now() }).where(eq(projects.id, projectId));
    return c.body(null, 204);
  })
  .get(
    "/:id/activity",
    requireRole("reviewer"),
    queryParams(z.object({ limit: decimal().pipe(z.number().min(1).max(200)).default(50) })),
    async (c) => {
      const { projectId } = c.get("access");
      const rows = await c.get("deps").db
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
      if (c.get("principal")?.kind !== "guest") return c.json({ activity: rows });
      // Guests see no member's email; entries written before the log named people by their name
      // ("member.add" used to record the email) are masked here.
      return c.json({
        activity: rows.map((row) => ({ ...row, subject: row.subject.replace(EMAIL, "(email)") })),
      });
    },
  );
