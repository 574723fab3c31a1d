/**
 * A project's takes and selects: `GET …/takes?nodeId=` (newest first), `GET …/selects` (each
 * node's selected take) and `PUT …/nodes/:nodeId/selected-take` (choose one: an edit).
 */
import { Hono } from "hono";
import { z } from "zod";
import { graphIdSchema } from "../../protocol/graph.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { type Select, selectedTakes, selectTake } from "../services/jobs/selects.ts";
import { listTakes, publicTake } from "../services/jobs/takes.ts";

/** A select as the API shows it: ids, and who chose it (null for a node's newest take). */
function publicSelect(s: Select) {
  return {
    nodeId: s.nodeId,
    takeId: s.take.id,
    selectedBy: s.selectedBy,
    selectedAt: s.selectedAt,
  };
}

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
  )
  .get("/:id/selects", requireRole("reviewer"), async (c) => {
    const selects = await selectedTakes(c.get("deps"), c.get("access").projectId);
    return c.json({ selects: [...selects.values()].map(publicSelect) });
  })
  .put(
    "/:id/nodes/:nodeId/selected-take",
    requireRole("editor"),
    pathParams(z.object({ id: idSchema, nodeId: graphIdSchema })),
    ...jsonBody(z.object({ takeId: idSchema }).strict()),
    async (c) => {
      const user = currentUser(c);
      const select = await selectTake(c.get("deps"), {
        projectId: c.get("access").projectId,
        nodeId: c.req.valid("param").nodeId,
        takeId: c.req.valid("json").takeId,
        user: { id: user.id, name: user.name },
      });
      return c.json({ select: publicSelect(select) });
    },
  );
