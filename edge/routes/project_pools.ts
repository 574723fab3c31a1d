/**
 * `GET /api/projects/:id/pools`: the pools that run the project's jobs, and whether they were
 * chosen or are the default (its owners' and editors' personal pools); members see them, guests
 * (who run nothing) get 404. `PUT`: the owner chooses them, among the pools they may use
 * ([] returns to the default); a pool they may not use is 404.
 */
import { Hono } from "hono";
import { projectPoolsSchema } from "../../protocol/fleet.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { jsonBody } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { chooseProjectPools, projectPoolList } from "../services/fleet/project_pools.ts";

export const projectPoolRoutes = new Hono<AppEnv>()
  .get("/:id/pools", requireRole("reviewer"), async (c) => {
    if (c.get("principal")?.kind !== "user") throw notFound("project");
    return c.json(await projectPoolList(c.get("deps"), c.get("access").projectId));
  })
  .put("/:id/pools", requireRole("owner"), ...jsonBody(projectPoolsSchema), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const user = currentUser(c);
    const { poolIds } = c.req.valid("json");
    await chooseProjectPools(deps, projectId, user, poolIds);
    await recordActivity(deps, {
      projectId,
      actorId: user.id,
      action: "project.pools",
      subject: poolIds.length === 0 ? "default pools" : `${poolIds.length} pools`,
    });
    return c.json(await projectPoolList(deps, projectId));
  });
