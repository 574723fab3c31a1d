/** The project's graph: current revision, paginated history, one revision, revert. */
import { inArray } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { decimal, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { currentGraphJson, getRevision, listRevisions } from "../services/graph_store.ts";
import { revertGraph } from "../services/live_graph.ts";
import { revisionSummaries } from "../services/revision_history.ts";

const revisionPath = z.object({ id: idSchema, revision: decimal().pipe(z.number().min(1)) });
const pageQuery = z.object({
  before: decimal().pipe(z.number().min(1)).optional(),
  limit: decimal().pipe(z.number().min(1).max(100)).default(20),
});

export const revisionRoutes = new Hono<AppEnv>()
  .get("/:id/graph", requireRole("reviewer"), async (c) => {
    return jsonText(c, await currentGraphJson(c.get("deps"), c.get("access").projectId));
  })
  .get("/:id/revisions", requireRole("reviewer"), queryParams(pageQuery), async (c) => {
    const deps = c.get("deps");
    const query = c.req.valid("query");
    const rows = await listRevisions(deps, c.get("access").projectId, query);
    const authorIds = [...new Set(rows.flatMap((r) => r.authorIds))];
    const names = authorIds.length === 0 ? [] : await deps.db
      .select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, authorIds));
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const authorNames = (ids: string[]) => ids.flatMap((id) => nameOf.get(id) ?? []);
    const summaries = await revisionSummaries(
      deps,
      c.get("access").projectId,
      rows.map((r) => ({ ...r, authorNames: authorNames(r.authorIds) })),
    );
    const revisions = rows.map((r) => ({
      ...r,
      authorId: r.authorIds[0] ?? null,
      authorName: r.authorIds[0] ? nameOf.get(r.authorIds[0]) ?? null : null,
      summary: summaries.get(r.revision) ?? null,
    }));
    const last = rows.at(-1);
    return c.json({ revisions, next: rows.length === query.limit && last ? last.revision : null });
  })
  .get("/:id/revisions/:revision", requireRole("reviewer"), pathParams(revisionPath), async (c) => {
    const row = await getRevision(
      c.get("deps"),
      c.get("access").projectId,
      c.req.valid("param").revision,
    );
    if (!row) throw notFound("revision");
    return c.json(row);
  })
  .post(
    "/:id/revisions/:revision/revert",
    requireRole("editor"),
    pathParams(revisionPath),
    async (c) => {
      const deps = c.get("deps");
      const { projectId } = c.get("access");
      const target = c.req.valid("param").revision;
      const old = await getRevision(deps, projectId, target);
      if (!old) throw notFound("revision");
      const user = currentUser(c);
      // The room orders the revert and stores it (and any edits it had not flushed yet). What
      // the old revision holds that no longer fits today's rules stays behind (named in the
      // answer): the room and the next reader must be able to take the graph.
      const revision = await revertGraph(deps, projectId, old, user.id);
      await recordActivity(deps, {
        projectId,
        actorId: user.id,
        action: "graph.revert",
        subject: `revision ${target}`,
      });
      return c.json(old.setAside ? { revision, setAside: old.setAside } : { revision }, 201);
    },
  );
