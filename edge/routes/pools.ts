/**
 * Pools (services/fleet/pools.ts): the ones you may see (your personal pool, your studios'),
 * create a studio pool, read one (its agents and scaling answer), rename it or change its
 * policy, make enrollment tokens that name it (single use, or reusable for an autoscaled fleet)
 * and a token for its autoscaler. A pool you may not see is 404; managing needs a personal
 * pool's owner or a studio admin (403 for members). The scaling answer itself, for
 * autoscalers, is `routes/metrics.ts`.
 */
import { Hono } from "hono";
import { z } from "zod";
import { enrollCommands } from "../../protocol/agent_command.ts";
import { createPoolSchema, poolTokenSchema, updatePoolSchema } from "../../protocol/fleet.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { poolAgents } from "../services/fleet/pool_agents.ts";
import {
  createPool,
  createPoolToken,
  ensurePersonalPool,
  newScalingToken,
  publicPool,
  requirePool,
  updatePool,
  visiblePools,
} from "../services/fleet/pools.ts";
import { poolScaling } from "../services/fleet/scaling.ts";
import { requireStudioRole } from "../services/fleet/studios.ts";

const poolPath = pathParams(z.object({ poolId: idSchema }));

export const poolRoutes = new Hono<AppEnv>()
  .use("*", requireUser)
  .get("/", async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    await ensurePersonalPool(deps, user);
    const list = await visiblePools(deps, user.id);
    return c.json({ pools: list.map(({ pool, role }) => publicPool(pool, role)) });
  })
  .post("/", ...jsonBody(createPoolSchema), async (c) => {
    const deps = c.get("deps");
    const input = c.req.valid("json");
    await requireStudioRole(deps, currentUser(c).id, input.studioId, "admin");
    const pool = await createPool(deps, input);
    return c.json({ pool: publicPool(pool, "admin") }, 201);
  })
  .get("/:poolId", poolPath, async (c) => {
    const deps = c.get("deps");
    const { pool, role } = await requirePool(
      deps,
      currentUser(c).id,
      c.req.valid("param").poolId,
      false,
    );
    return c.json({
      pool: publicPool(pool, role),
      agents: await poolAgents(deps, pool.id),
      scaling: await poolScaling(deps, pool),
    });
  })
  .patch("/:poolId", poolPath, ...jsonBody(updatePoolSchema), async (c) => {
    const deps = c.get("deps");
    const { pool, role } = await requirePool(
      deps,
      currentUser(c).id,
      c.req.valid("param").poolId,
      true,
    );
    const updated = await updatePool(deps, pool, c.req.valid("json"));
    return c.json({ pool: publicPool(updated, role) });
  })
  .post(
    "/:poolId/enrollment-tokens",
    poolPath,
    ...jsonBody(poolTokenSchema),
    async (c) => {
      const deps = c.get("deps");
      const user = currentUser(c);
      const { pool } = await requirePool(deps, user.id, c.req.valid("param").poolId, true);
      const made = await createPoolToken(deps, user.id, pool.id, c.req.valid("json"));
      const { enroll: command } = enrollCommands(deps.config.PUBLIC_URL, made.token);
      return c.json({ ...made, command }, 201);
    },
  )
  .post("/:poolId/scaling-token", poolPath, async (c) => {
    const deps = c.get("deps");
    const { pool } = await requirePool(deps, currentUser(c).id, c.req.valid("param").poolId, true);
    return c.json({ token: await newScalingToken(deps, pool.id) }, 201);
  });
