/**
 * What autoscalers and Prometheus read, with a bearer token instead of a session:
 * - `GET /metrics`: the Prometheus text exposition (services/fleet/metrics.ts), METRICS_TOKEN;
 * - `GET /api/pools/:poolId/scaling`: the pool's desired agent count per tier with the reason
 *   (services/fleet/scaling.ts), METRICS_TOKEN or one of the pool's own scaling tokens
 *   (services/fleet/scaling_tokens.ts).
 * A missing or wrong token is 401 (so is any token while METRICS_TOKEN is unset and the pool has
 * none of its own); an unknown pool, with a good token, 404.
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { pools } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { notFound, unauthorized } from "../errors.ts";
import { constantTimeEqual, sha256Hex } from "../lib/bytes.ts";
import { idSchema } from "../lib/ids.ts";
import { pathParams } from "../lib/validate.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../services/fleet/metrics.ts";
import { poolScaling } from "../services/fleet/scaling.ts";
import { isPoolScalingToken } from "../services/fleet/scaling_tokens.ts";

const bearerToken = (c: Context<AppEnv>) =>
  c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;

/** Whether the bearer token's hash is one of `hashes` (compared in constant time). */
async function bearerMatches(c: Context<AppEnv>, hashes: (string | null)[]): Promise<boolean> {
  const token = bearerToken(c);
  if (!token) return false;
  const given = new TextEncoder().encode(await sha256Hex(token));
  let ok = false;
  for (const hash of hashes) {
    if (hash && constantTimeEqual(given, new TextEncoder().encode(hash))) ok = true;
  }
  return ok;
}

const metricsHash = async (c: Context<AppEnv>) => {
  const token = c.get("deps").config.METRICS_TOKEN;
  return token ? await sha256Hex(token) : null;
};

const refused = () =>
  unauthorized("a metrics token is required: `Authorization: Bearer <METRICS_TOKEN>`");

export const metricsRoutes = new Hono<AppEnv>()
  .get("/metrics", async (c) => {
    if (!await bearerMatches(c, [await metricsHash(c)])) throw refused();
    return c.body(await renderMetrics(c.get("deps")), 200, {
      "content-type": METRICS_CONTENT_TYPE,
      "cache-control": "no-store",
    });
  });

export const scalingRoutes = new Hono<AppEnv>()
  .get("/:poolId/scaling", pathParams(z.object({ poolId: idSchema })), async (c) => {
    const deps = c.get("deps");
    const poolId = c.req.valid("param").poolId;
    const token = bearerToken(c);
    // A pool's own tokens open only that pool's answer; an unknown pool has none.
    const allowed = token !== null &&
      (await bearerMatches(c, [await metricsHash(c)]) ||
        await isPoolScalingToken(deps, poolId, await sha256Hex(token)));
    if (!allowed) {
      throw unauthorized(
        "a token is required: `Authorization: Bearer <METRICS_TOKEN or a scaling token of the " +
          "pool>` (the Pools page makes scaling tokens)",
      );
    }
    const [pool] = await deps.db.select().from(pools).where(eq(pools.id, poolId)).limit(1);
    if (!pool) throw notFound("pool");
    return c.json(await poolScaling(deps, pool), 200, { "cache-control": "no-store" });
  });
