/**
 * Endpoints for the room server only, authenticated with the shared `ROOM_SECRET`: load a
 * project's current graph when a room starts, one revision's graph when it reverts, and store
 * a revision when the room flushes.
 */
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { projects } from "../../db/schema/mod.ts";
import { graphSchema } from "../../protocol/graph.ts";
import type { AppEnv } from "../context.ts";
import { notFound, unauthorized } from "../errors.ts";
import { constantTimeEqual } from "../lib/bytes.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { decimal, jsonBody, pathParams } from "../lib/validate.ts";
import { currentGraphJson, getRevision, storeRevision } from "../services/graph_store.ts";

const encoder = new TextEncoder();

const requireRoomSecret = createMiddleware<AppEnv>(async function requireRoomSecret(c, next) {
  const given = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? "";
  const expected = c.get("deps").config.ROOM_SECRET;
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(expected))) {
    throw unauthorized("room secret required");
  }
  await next();
});

const projectPath = pathParams(z.object({ id: idSchema }));
const revisionPath = pathParams(
  z.object({ id: idSchema, revision: decimal().pipe(z.number().min(1)) }),
);

async function assertProject(deps: AppEnv["Variables"]["deps"], id: string): Promise<void> {
  const [row] = await deps.db.select({ id: projects.id }).from(projects)
    .where(and(eq(projects.id, id), isNull(projects.deletedAt))).limit(1);
  if (!row) throw notFound("project");
}

const flushSchema = z.object({
  graph: graphSchema,
  message: z.string().max(500).default("Canvas edits"),
  authorIds: z.array(z.string().max(100)).max(100).default([]),
}).strict();

export const internalRoutes = new Hono<AppEnv>()
  .use(requireRoomSecret)
  .get("/projects/:id/graph", projectPath, async (c) => {
    const { id } = c.req.valid("param");
    await assertProject(c.get("deps"), id);
    return jsonText(c, await currentGraphJson(c.get("deps"), id));
  })
  .get("/projects/:id/revisions/:revision", revisionPath, async (c) => {
    const { id, revision } = c.req.valid("param");
    await assertProject(c.get("deps"), id);
    const row = await getRevision(c.get("deps"), id, revision);
    if (!row) throw notFound("revision");
    return c.json({ revision, graph: row.graph });
  })
  .post("/projects/:id/revisions", projectPath, ...jsonBody(flushSchema), async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    // Guest reviewers never edit, but keep only real user ids as authors either way.
    const authorIds = body.authorIds.filter((a) => idSchema.safeParse(a).success);
    // 404 for an unknown or deleted project, checked in the same batch.
    const revision = await storeRevision(c.get("deps"), id, { ...body, authorIds });
    return c.json({ revision }, 201);
  });
