/**
 * Decisions on takes (services/review/decisions.ts): `PUT …/takes/:takeId/decision` records the
 * caller's approve / needs changes / reject with a note; `GET …/decisions` lists each person's
 * latest, for a take, a node or the whole project (node cards show them).
 */
import { Hono } from "hono";
import { z } from "zod";
import { graphIdSchema } from "../../protocol/graph.ts";
import { decideSchema } from "../../protocol/review.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { decide, listDecisions } from "../services/review/decisions.ts";
import { authorOf } from "../services/review/people.ts";

export const decisionRoutes = new Hono<AppEnv>()
  .get(
    "/:id/decisions",
    requireRole("reviewer"),
    queryParams(z.object({ takeId: idSchema.optional(), nodeId: graphIdSchema.optional() })),
    async (c) => {
      const decisions = await listDecisions(
        c.get("deps"),
        c.get("access").projectId,
        c.req.valid("query"),
      );
      return c.json({ decisions });
    },
  )
  .put(
    "/:id/takes/:takeId/decision",
    requireRole("reviewer"),
    pathParams(z.object({ id: idSchema, takeId: idSchema })),
    ...jsonBody(decideSchema),
    async (c) => {
      const decision = await decide(
        c.get("deps"),
        c.get("access").projectId,
        authorOf(c),
        c.req.valid("param").takeId,
        c.req.valid("json"),
      );
      return c.json({ decision });
    },
  );
