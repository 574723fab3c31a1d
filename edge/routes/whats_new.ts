/**
 * "What's new" (services/review/whats_new.ts): `GET …/whats-new` lists what happened since the
 * caller last marked the project read, with the unread count the top bar shows;
 * `POST …/whats-new/read` marks it read up to `until` (the newest item the caller saw) or now.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { jsonBody } from "../lib/validate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { markRead, whatsNew } from "../services/review/whats_new.ts";

function principalOf(c: { get(key: "principal"): AppEnv["Variables"]["principal"] }) {
  const principal = c.get("principal");
  if (!principal) throw unauthorized();
  return principal;
}

export const whatsNewRoutes = new Hono<AppEnv>()
  .get("/:id/whats-new", requireRole("reviewer"), async (c) => {
    return c.json(await whatsNew(c.get("deps"), c.get("access").projectId, principalOf(c)));
  })
  .post(
    "/:id/whats-new/read",
    requireRole("reviewer"),
    ...jsonBody(z.object({ until: z.number().int().min(0).optional() }).strict()),
    async (c) => {
      const readAt = await markRead(
        c.get("deps"),
        c.get("access").projectId,
        principalOf(c),
        c.req.valid("json").until,
      );
      return c.json({ readAt });
    },
  );
