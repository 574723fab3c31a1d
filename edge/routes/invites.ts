/**
 * Invitations: how someone becomes a member. An owner invites an email address with a role; the
 * answer is the same (201, same fields) whether or not an account has that email, so inviting
 * tells nobody who has an account. Whoever signs in with that email, now or after registering,
 * sees the invitation (`GET /api/invites`, live on the dashboard through their inbox) and accepts
 * or declines it; only accepting makes them a member. Owners list pending invitations and revoke
 * them; invitations expire after `INVITE_TTL_MS`, and are deleted `EXPIRED_INVITE_KEPT_MS` later
 * (until then the owner sees them as expired, to invite again).
 *
 * No email is sent (the studio has no mail): the owner tells the person, and a deployment with
 * mail would send one from `POST …/invites` to every address alike (see edge/API.md). No token
 * exists to leak: accepting needs the signed-in account whose email the invitation names.
 */
import { and, eq, gt, isNull, lte, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { projectInvites, projectMembers, projects, users } from "../../db/schema/mod.ts";
import { ROLES } from "../../protocol/room_ticket.ts";
import type { AppDeps, AppEnv } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { idSchema, newId } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { activityStatement } from "../services/activity.ts";
import { countAttempt, LIMITS, refuseIfLimited, subjectsFor } from "../services/rate_limit.ts";

/** How long an invitation can be accepted. Inviting the same address again renews it. */
export const INVITE_TTL_MS = 14 * 24 * 3600_000;
/** How long after expiring the owner still sees one ("expired: invite again"); then it is deleted. */
export const EXPIRED_INVITE_KEPT_MS = 7 * 24 * 3600_000;

const inviteSchema = z.object({
  email: z.email({ message: "not a valid email address" }).max(254)
    .transform((e) => e.toLowerCase()),
  role: z.enum(ROLES),
}).strict();

const ownerColumns = {
  id: projectInvites.id,
  email: projectInvites.email,
  role: projectInvites.role,
  invitedByName: users.name,
  createdAt: projectInvites.createdAt,
  expiresAt: projectInvites.expiresAt,
};

/**
 * Deletes the invitations `whose` (one project's, or one address's) that expired more than
 * `EXPIRED_INVITE_KEPT_MS` ago. Every invitation is read through one of those two lists, so
 * purging as they are read keeps the table from filling with dead rows without a timer (the
 * Workers runtime has none between requests); both filters use an index.
 */
async function purgeExpiredInvites(deps: AppDeps, whose: SQL): Promise<void> {
  await deps.db.delete(projectInvites)
    .where(and(whose, lte(projectInvites.expiresAt, deps.now() - EXPIRED_INVITE_KEPT_MS)));
}

/** Tells the account with this email, if there is one, that its invitations changed. */
async function tellInvitee(deps: AppDeps, email: string): Promise<void> {
  const [user] = await deps.db.select({ id: users.id }).from(users)
    .where(eq(users.email, email)).limit(1);
  if (user) deps.notifier.notifyUser(user.id, { type: "inbox.changed", what: "invites" });
}

/** `/api/projects/:id/invites`: the owner's side. */
export const projectInviteRoutes = new Hono<AppEnv>()
  .get("/:id/invites", requireRole("owner"), async (c) => {
    const deps = c.get("deps");
    await purgeExpiredInvites(deps, eq(projectInvites.projectId, c.get("access").projectId));
    const rows = await deps.db.select(ownerColumns).from(projectInvites)
      .innerJoin(users, eq(users.id, projectInvites.invitedBy))
      .where(eq(projectInvites.projectId, c.get("access").projectId))
      .orderBy(projectInvites.createdAt);
    const now = deps.now();
    return c.json({ invites: rows.map((r) => ({ ...r, expired: r.expiresAt <= now })) });
  })
  .post("/:id/invites", requireRole("owner"), ...jsonBody(inviteSchema), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const { email, role } = c.req.valid("json");
    const limits = subjectsFor(c, LIMITS.inviteAddress, {
      policy: LIMITS.inviteProject,
      subject: `project:${projectId}`,
    });
    await refuseIfLimited(deps, limits);
    await countAttempt(deps, limits);
    // Owners see every member's email in the member list, so saying this reveals nothing new.
    const [member] = await deps.db.select({ userId: projectMembers.userId }).from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(and(eq(projectMembers.projectId, projectId), eq(users.email, email))).limit(1);
    if (member) throw conflict("already_member", "this person is already a member");
    const now = deps.now();
    const fresh = {
      role,
      invitedBy: currentUser(c).id,
      createdAt: now,
      expiresAt: now + INVITE_TTL_MS,
    };
    const [invite] = await deps.db.insert(projectInvites)
      .values({ id: newId(), projectId, email, ...fresh })
      .onConflictDoUpdate({ target: [projectInvites.projectId, projectInvites.email], set: fresh })
      .returning({
        id: projectInvites.id,
        email: projectInvites.email,
        role: projectInvites.role,
        createdAt: projectInvites.createdAt,
        expiresAt: projectInvites.expiresAt,
      });
    await deps.db.$client.execute(activityStatement(deps, {
      projectId,
      actorId: fresh.invitedBy,
      action: "invite.create",
      // Share-link guests read the log too: the activity route masks the email for them.
      subject: `${email} as ${role}`,
    }));
    await tellInvitee(deps, email);
    return c.json({ invite }, 201);
  })
  .delete(
    "/:id/invites/:inviteId",
    requireRole("owner"),
    pathParams(z.object({ id: idSchema, inviteId: idSchema })),
    async (c) => {
      const deps = c.get("deps");
      const { projectId } = c.get("access");
      const [revoked] = await deps.db.delete(projectInvites)
        .where(and(
          eq(projectInvites.id, c.req.valid("param").inviteId),
          eq(projectInvites.projectId, projectId),
        ))
        .returning({ email: projectInvites.email, role: projectInvites.role });
      if (!revoked) throw notFound("invitation");
      await deps.db.$client.execute(activityStatement(deps, {
        projectId,
        actorId: currentUser(c).id,
        action: "invite.revoke",
        subject: `${revoked.email} as ${revoked.role}`,
      }));
      await tellInvitee(deps, revoked.email);
      return c.body(null, 204);
    },
  );

const inviteePath = pathParams(z.object({ inviteId: idSchema }));

/** The signed-in person's own pending invitation `inviteId`, or a 404 that says why it may be gone. */
async function myInvite(deps: AppDeps, email: string, inviteId: string) {
  const [invite] = await deps.db.select({
    id: projectInvites.id,
    projectId: projectInvites.projectId,
    role: projectInvites.role,
  }).from(projectInvites)
    .innerJoin(projects, eq(projects.id, projectInvites.projectId))
    .where(and(
      eq(projectInvites.id, inviteId),
      eq(projectInvites.email, email),
      gt(projectInvites.expiresAt, deps.now()),
      isNull(projects.deletedAt),
    )).limit(1);
  if (!invite) throw notFound("invitation (it may have expired or been withdrawn)");
  return invite;
}

/** `/api/invites`: the invited person's side. */
export const myInviteRoutes = new Hono<AppEnv>()
  .use("*", requireUser)
  .get("/", async (c) => {
    const deps = c.get("deps");
    await purgeExpiredInvites(deps, eq(projectInvites.email, currentUser(c).email));
    const rows = await deps.db.select({
      id: projectInvites.id,
      projectId: projects.id,
      projectName: projects.name,
      role: projectInvites.role,
      invitedByName: users.name,
      createdAt: projectInvites.createdAt,
      expiresAt: projectInvites.expiresAt,
    }).from(projectInvites)
      .innerJoin(projects, eq(projects.id, projectInvites.projectId))
      .innerJoin(users, eq(users.id, projectInvites.invitedBy))
      .where(and(
        eq(projectInvites.email, currentUser(c).email),
        gt(projectInvites.expiresAt, deps.now()),
        isNull(projects.deletedAt),
      ))
      .orderBy(projectInvites.createdAt);
    return c.json({ invites: rows });
  })
  .post("/:inviteId/accept", inviteePath, async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    const invite = await myInvite(deps, user.email, c.req.valid("param").inviteId);
    const now = deps.now();
    // Membership, the invitation's end and the log line commit together.
    await deps.db.$client.batch([
      {
        sql: `insert into project_members (project_id, user_id, role, created_at)
          values (?, ?, ?, ?) on conflict do nothing`,
        args: [invite.projectId, user.id, invite.role, now],
      },
      activityStatement(deps, {
        projectId: invite.projectId,
        actorId: user.id,
        action: "member.join",
        subject: invite.role,
      }, { onlyIfChanged: true }),
      { sql: `delete from project_invites where id = ?`, args: [invite.id] },
    ], "write");
    const [member] = await deps.db.select({ role: projectMembers.role }).from(projectMembers)
      .where(and(
        eq(projectMembers.projectId, invite.projectId),
        eq(projectMembers.userId, user.id),
      ));
    const role = member?.role ?? invite.role;
    // The room keeps the newest access fact per person: one removed earlier is a member again.
    deps.notifier.notify(invite.projectId, {
      type: "access.changed",
      subject: user.id,
      role,
      at: deps.now(),
    });
    deps.notifier.notifyUser(user.id, { type: "inbox.changed", what: "projects" });
    return c.json({ projectId: invite.projectId, role });
  })
  .post("/:inviteId/decline", inviteePath, async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    const invite = await myInvite(deps, user.email, c.req.valid("param").inviteId);
    await deps.db.$client.batch([
      { sql: `delete from project_invites where id = ?`, args: [invite.id] },
      activityStatement(deps, {
        projectId: invite.projectId,
        actorId: user.id,
        action: "invite.decline",
        subject: invite.role,
      }, { onlyIfChanged: true }),
    ], "write");
    deps.notifier.notifyUser(user.id, { type: "inbox.changed", what: "invites" });
    // The owner's open members panel drops it from the pending list.
    deps.notifier.notify(invite.projectId, { type: "members.changed" });
    return c.body(null, 204);
  });
