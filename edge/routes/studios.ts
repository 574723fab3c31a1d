/**
 * Studios (services/fleet/studios.ts): create one (you become its admin), list yours with who is
 * in each, make a join code (admins), join with one, change a member's role or remove them
 * (admins; anyone may leave). Someone outside a studio gets the 404 a missing one gets.
 */
import { Hono } from "hono";
import { z } from "zod";
import { fleetNameSchema, studioRoleSchema } from "../../protocol/fleet.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import {
  changeStudioMember,
  createStudio,
  joinStudio,
  myStudios,
  newJoinCode,
  requireStudioRole,
} from "../services/fleet/studios.ts";
import { countAttempt, LIMITS, refuseIfLimited, subjectsFor } from "../services/rate_limit.ts";

const studioPath = pathParams(z.object({ studioId: idSchema }));
const memberPath = pathParams(z.object({ studioId: idSchema, userId: idSchema }));

export const studioRoutes = new Hono<AppEnv>()
  .use("*", requireUser)
  .post("/", ...jsonBody(z.object({ name: fleetNameSchema }).strict()), async (c) => {
    const studio = await createStudio(c.get("deps"), currentUser(c).id, c.req.valid("json").name);
    return c.json({ studio }, 201);
  })
  .get("/", async (c) => {
    return c.json({ studios: await myStudios(c.get("deps"), currentUser(c).id) });
  })
  .post(
    "/join",
    ...jsonBody(z.object({ code: z.string().min(1).max(200) }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const limits = subjectsFor(c, LIMITS.studioJoin);
      await refuseIfLimited(deps, limits);
      const studio = await joinStudio(deps, currentUser(c).id, c.req.valid("json").code);
      if (!studio) {
        await countAttempt(deps, limits);
        throw notFound("studio for this join code (ask an admin for the current one)");
      }
      return c.json({ studio });
    },
  )
  .post("/:studioId/join-code", studioPath, async (c) => {
    const deps = c.get("deps");
    const { studioId } = c.req.valid("param");
    await requireStudioRole(deps, currentUser(c).id, studioId, "admin");
    return c.json({ code: await newJoinCode(deps, studioId) }, 201);
  })
  .patch(
    "/:studioId/members/:userId",
    memberPath,
    ...jsonBody(z.object({ role: studioRoleSchema }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const { studioId, userId } = c.req.valid("param");
      await requireStudioRole(deps, currentUser(c).id, studioId, "admin");
      await changeStudioMember(deps, studioId, userId, c.req.valid("json").role);
      return c.body(null, 204);
    },
  )
  .delete("/:studioId/members/:userId", memberPath, async (c) => {
    const deps = c.get("deps");
    const me = currentUser(c).id;
    const { studioId, userId } = c.req.valid("param");
    // Leaving needs no role; removing someone else needs an admin.
    await requireStudioRole(deps, me, studioId, userId === me ? "member" : "admin");
    await changeStudioMember(deps, studioId, userId, null);
    return c.body(null, 204);
  });
