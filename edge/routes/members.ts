/**
 * Project members: list, change role, remove. People join by accepting an invitation
 * (routes/invites.ts), never by being added directly: adding by email would tell the owner
 * whether the email has an account. Only owners change membership; each change is posted to the
 * room (`access.changed`), which applies it to open sockets and to tickets issued before it, and
 * to the person's inbox, so their dashboard follows. Share-link guests see members' names and
 * roles, not their emails.
 */
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { projectMembers, users } from "../../db/schema/mod.ts";
import { ROLES } from "../../protocol/room_ticket.ts";
import type { AppEnv } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";

const role = z.enum(ROLES);
const memberPath = z.object({ id: idSchema, userId: idSchema });

const columnsForGuests = {
  userId: projectMembers.userId,
  name: users.name,
  role: projectMembers.role,
  createdAt: projectMembers.createdAt,
};
const memberColumns = { ...columnsForGuests, email: users.email };

export const memberRoutes = new Hono<AppEnv>()
  .get("/:id/members", requireRole("reviewer"), async (c) => {
    const guest = c.get("principal")?.kind === "guest";
    const members = await c.get("deps").db
      .select(guest ? columnsForGuests : memberColumns).from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(eq(projectMembers.projectId, c.get("access").projectId))
      .orderBy(projectMembers.createdAt);
    return c.json({ members });
  })
  .patch(
    "/:id/members/:userId",
    requireRole("owner"),
    pathParams(memberPath),
    ...jsonBody(z.object({ role }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const { projectId } = c.get("access");
      const { userId } = c.req.valid("param");
      const { role: newRole } = c.req.valid("json");
      await assertNotLastOwner(c.get("deps"), projectId, userId, newRole);
      const [updated] = await deps.db.update(projectMembers).set({ role: newRole })
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
        .returning();
      if (!updated) throw notFound("member");
      // Taken after the change committed, so every ticket that read the old role is older.
      const at = deps.now();
      await recordActivity(deps, {
        projectId,
        actorId: currentUser(c).id,
        action: "member.role",
        subject: `${userId} → ${newRole}`,
      });
      const [member] = await deps.db.select(memberColumns).from(projectMembers)
        .innerJoin(users, eq(users.id, projectMembers.userId))
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
      deps.notifier.notify(projectId, {
        type: "access.changed",
        subject: userId,
        role: newRole,
        at,
      });
      deps.notifier.notifyUser(userId, { type: "inbox.changed", what: "projects" });
      return c.json({ member });
    },
  )
  .delete("/:id/members/:userId", requireRole("owner"), pathParams(memberPath), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const { userId } = c.req.valid("param");
    await assertNotLastOwner(deps, projectId, userId, null);
    const removed = await deps.db.delete(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
      .returning();
    if (removed.length === 0) throw notFound("member");
    const at = deps.now();
    await recordActivity(deps, {
      projectId,
      actorId: currentUser(c).id,
      action: "member.remove",
      subject: userId,
    });
    deps.notifier.notify(projectId, { type: "access.changed", subject: userId, role: null, at });
    deps.notifier.notifyUser(userId, { type: "inbox.changed", what: "projects" });
    return c.body(null, 204);
  });

/** A project always keeps at least one owner, so it can never become unmanageable. */
async function assertNotLastOwner(
  deps: AppEnv["Variables"]["deps"],
  projectId: string,
  userId: string,
  newRole: string | null,
): Promise<void> {
  if (newRole === "owner") return;
  const owners = await deps.db.select({ userId: projectMembers.userId }).from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.role, "owner")));
  if (owners.length === 1 && owners[0]!.userId === userId) {
    throw conflict("last_owner", "a project needs an owner: make someone else owner first");
  }
}
