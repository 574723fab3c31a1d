/**
 * Reviewer links: an owner creates a link (the token is shown once); whoever opens it gets a
 * guest session that can watch that one project as a reviewer, until the link is revoked or
 * expires (checked on every request, so revoking works at once; the room is told too, and
 * closes the guests' sockets).
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { linkSubject } from "../../protocol/room_ticket.ts";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { projects, shareLinks, users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idSchema, newId } from "../lib/ids.ts";
import { randomToken, sha256Hex } from "../lib/bytes.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { countAttempt, LIMITS, refuseIfLimited, subjectsFor } from "../services/rate_limit.ts";
import { createSession } from "../services/sessions.ts";
import { setSessionCookie } from "./auth.ts";

const createSchema = z.object({
  label: z.string().trim().max(100).default("Reviewer link"),
  expiresInHours: z.number().int().min(1).max(24 * 365).optional(),
}).strict();

const linkColumns = {
  id: shareLinks.id,
  label: shareLinks.label,
  createdAt: shareLinks.createdAt,
  expiresAt: shareLinks.expiresAt,
  revokedAt: shareLinks.revokedAt,
};

export const shareLinkRoutes = new Hono<AppEnv>()
  .get("/:id/share-links", requireRole("owner"), async (c) => {
    const rows = await c.get("deps").db.select(linkColumns).from(shareLinks)
      .where(eq(shareLinks.projectId, c.get("access").projectId))
      .orderBy(desc(shareLinks.createdAt));
    return c.json({ shareLinks: rows });
  })
  .post("/:id/share-links", requireRole("owner"), ...jsonBody(createSchema), async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    const token = randomToken();
    const now = deps.now();
    const link = {
      id: newId(),
      projectId: c.get("access").projectId,
      tokenHash: await sha256Hex(token),
      label: body.label,
      createdBy: currentUser(c).id,
      createdAt: now,
      expiresAt: body.expiresInHours ? now + body.expiresInHours * 3600_000 : null,
      revokedAt: null,
    };
    await deps.db.insert(shareLinks).values(link);
    await recordActivity(deps, {
      projectId: link.projectId,
      actorId: link.createdBy,
      action: "share_link.create",
      subject: link.label,
    });
    const { tokenHash: _hash, projectId: _project, createdBy: _by, ...shareLink } = link;
    return c.json({ shareLink, token, path: `/s/${token}` }, 201);
  })
  .delete(
    "/:id/share-links/:linkId",
    requireRole("owner"),
    pathParams(z.object({ id: idSchema, linkId: idSchema })),
    async (c) => {
      const deps = c.get("deps");
      const { projectId } = c.get("access");
      const revoked = await deps.db.update(shareLinks).set({ revokedAt: deps.now() })
        .where(and(
          eq(shareLinks.id, c.req.valid("param").linkId),
          eq(shareLinks.projectId, projectId),
          isNull(shareLinks.revokedAt),
        ))
        .returning({ id: shareLinks.id });
      if (revoked.length === 0) throw notFound("share link");
      const at = deps.now();
      const { linkId } = c.req.valid("param");
      await recordActivity(deps, {
        projectId,
        actorId: currentUser(c).id,
        action: "share_link.revoke",
        subject: linkId,
      });
      deps.notifier.notify(projectId, {
        type: "access.changed",
        subject: linkSubject(linkId),
        role: null,
        at,
      });
      return c.body(null, 204);
    },
  );

const tokenPath = pathParams(
  z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "not a link token") }),
);

/**
 * The live link behind a token, with what its landing page shows; an unknown, revoked or
 * expired link (or one of a deleted project) counts against the caller's address and is a 404.
 */
async function liveLink(c: Context<AppEnv>, token: string) {
  const deps = c.get("deps");
  const limits = subjectsFor(c, LIMITS.shareLink);
  await refuseIfLimited(deps, limits);
  const [link] = await deps.db.select({
    id: shareLinks.id,
    projectId: shareLinks.projectId,
    projectName: projects.name,
    sharedByName: users.name,
    label: shareLinks.label,
    expiresAt: shareLinks.expiresAt,
  })
    .from(shareLinks)
    .innerJoin(projects, eq(projects.id, shareLinks.projectId))
    .innerJoin(users, eq(users.id, shareLinks.createdBy))
    .where(and(
      eq(shareLinks.tokenHash, await sha256Hex(token)),
      isNull(shareLinks.revokedAt),
      isNull(projects.deletedAt),
    ))
    .limit(1);
  if (!link || (link.expiresAt !== null && link.expiresAt <= deps.now())) {
    await countAttempt(deps, limits);
    throw notFound("share link (it may have been revoked or expired)");
  }
  return link;
}

/**
 * `GET /api/share/:token`: what the link's landing page names (project, who shared it) before
 * anyone joins; `POST /api/share/:token/accept`: trade the link for a guest reviewer session.
 */
export const shareAcceptRoutes = new Hono<AppEnv>()
  .get("/:token", tokenPath, async (c) => {
    const link = await liveLink(c, c.req.valid("param").token);
    return c.json({
      project: { name: link.projectName },
      sharedBy: { name: link.sharedByName },
      label: link.label,
      expiresAt: link.expiresAt,
    });
  })
  .post(
    "/:token/accept",
    tokenPath,
    ...jsonBody(z.object({ name: z.string().trim().min(1).max(100).default("Reviewer") }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const link = await liveLink(c, c.req.valid("param").token);
      const session = await createSession(deps, {
        shareLinkId: link.id,
        guestName: c.req.valid("json").name,
      });
      setSessionCookie(c, session.token, session.expiresAt);
      return c.json({ token: session.token, projectId: link.projectId });
    },
  );
