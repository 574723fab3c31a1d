/** `GET /api/projects/:id/ticket`: a short-lived signed ticket to join the project's room. */
import { Hono } from "hono";
import { signRoomTicket } from "../../protocol/room_ticket.ts";
import type { AppEnv } from "../context.ts";
import { requireRole } from "../middleware/project_access.ts";

/** Long enough to connect, short enough that a leaked ticket is soon useless. */
export const TICKET_TTL_MS = 60_000;

export const ticketRoutes = new Hono<AppEnv>()
  .get("/:id/ticket", requireRole("reviewer"), async (c) => {
    const { config, now } = c.get("deps");
    const principal = c.get("principal")!;
    const { projectId, role } = c.get("access");
    const expiresAt = now() + TICKET_TTL_MS;
    const ticket = await signRoomTicket({
      sub: principal.kind === "user" ? principal.user.id : `guest:${principal.sessionId}`,
      project: projectId,
      role,
      name: principal.kind === "user" ? principal.user.name : principal.name,
      // Dated before the session and role were read: a change committed after that read is
      // later than `iat`, so the room overrides this ticket's role with it (party/access.ts).
      iat: c.get("receivedAt"),
      exp: expiresAt,
      ...(principal.kind === "guest" ? { link: principal.shareLinkId } : {}),
    }, config.ROOM_SECRET);
    const roomUrl = `${
      config.ROOM_URL.replace(/^http/, "ws").replace(/\/$/, "")
    }/parties/main/${projectId}`;
    return c.json({ ticket, roomUrl, expiresAt });
  });
