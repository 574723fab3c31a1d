/**
 * Pools (services/fleet/pools.ts): the ones you may see (your personal pool, your studios'),
 * create a studio pool, read one (its agents and scaling answer), rename it or change its
 * policy, make enrollment tokens that name it (single use, or reusable for an autoscaled fleet)
 * and tokens for its autoscalers (made, listed without their secret, revoked one by one). A
 * pool you may not see is 404; managing needs a personal
 * pool's owner or a studio admin (403 for members). The scaling answer itself, for
 * autoscalers, is `routes/metrics.ts`.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { enrollCommands, scalingUse } from "../../protocol/agent_command.ts";
import {
  createPoolSchema,
  poolTokenSchema,
  scalingTokenSchema,
  updatePoolSchema,
} from "../../protocol/fleet.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { poolAgents } from "../services/fleet/pool_agents.ts";
import {
  createPool,
  createPoolToken,
  ensurePersonalPool,
  publicPool,
  requirePool,
  updatePool,
  visiblePools,
} from "../services/fleet/pools.ts";
import { poolScaling } from "../services/fleet/scaling.ts";
import {
  createScalingToken,
  listScalingTokens,
  revokeScalingToken,
} from "../services/fleet/scaling_tokens.ts";
import { requireStudioRole } from "../services/fleet/studios.ts";

const poolPath = pathParams(z.object({ poolId: idSchema }));
const tokenPath = pathParams(z.object({ poolId: idSchema, tokenId: idSchema }));

/**
 * The caller manages the path's pool (404 for outsiders, 403 for members), checked before the
 * body is read: someone who may not see the pool learns nothing from a 422.
 */
const managesPool = createMiddleware<AppEnv>(async function managesPool(c, next) {
  await requirePool(c.get("deps"), currentUser(c).id, c.req.param("poolId")!, true);
  await next();
});

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
  .get("/:poolId/scaling-tokens", poolPath, managesPool, async (c) => {
    const tokens = await listScalingTokens(c.get("deps"), c.req.valid("param").poolId);
    return c.json({ tokens });
  })
  .post(
    "/:poolId/scaling-tokens",
    poolPath,
    managesPool,
    ...jsonBody(scalingTokenSchema),
    async (c) => {
      const deps = c.get("deps");
      const { poolId } = c.req.valid("param");
      const made = await createScalingToken(
        deps,
        currentUser(c).id,
        poolId,
        c.req.valid("json").name,
      );
      return c.json({ ...made, ...scalingUse(deps.config.PUBLIC_URL, poolId, made.token) }, 201);
    },
  )
  .delete("/:poolId/scaling-tokens/:tokenId", tokenPath, managesPool, async (c) => {
    const { poolId, tokenId } = c.req.valid("param");
    await revokeScalingToken(c.get("deps"), poolId, tokenId);
    return c.body(null, 204);
  });
