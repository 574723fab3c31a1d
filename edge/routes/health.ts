/** Liveness (`/healthz`) and readiness (`/readyz`: the database answers and is migrated). */
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { apiErrorOf } from "../errors.ts";

export const healthRoutes = new Hono<AppEnv>()
  .get("/healthz", (c) => c.json({ ok: true }))
  .get("/readyz", async (c) => {
    try {
      // The newest table of the newest migration proves migrations ran, not just a connection.
      await c.get("deps").db.run(sql`select 1 from graph_revisions limit 1`);
      return c.json({ ok: true });
    } catch (error) {
      c.get("deps").log({ msg: "not ready", error: String(error) });
      // A settings problem is said as it is; anything else stays vague (this route is public).
      const problem = apiErrorOf(error) ?? { code: "not_ready", message: "database unavailable" };
      return c.json({ ok: false, error: { code: problem.code, message: problem.message } }, 503);
    }
  });
