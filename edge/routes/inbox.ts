/**
 * `GET /api/inbox/ticket`: a short-lived ticket to open one's own inbox socket
 * (protocol/inbox.ts), over which the dashboard hears of new invitations, membership changes and
 * mentions. `GET /api/inbox/mentions`: the comments that name the caller, newest first.
 */
import { Hono } from "hono";
import { INBOX_PARTY } from "../../protocol/inbox.ts";
import { signInboxTicket } from "../../protocol/inbox_ticket.ts";
import type { AppEnv } from "../context.ts";
import { currentUser, requireUser } from "../middleware/authenticate.ts";
import { mentionsOf } from "../services/review/mentions.ts";
import { TICKET_TTL_MS } from "./ticket.ts";

export const inboxRoutes = new Hono<AppEnv>()
  .get("/ticket", requireUser, async (c) => {
    const { config, now } = c.get("deps");
    const user = currentUser(c);
    const expiresAt = now() + TICKET_TTL_MS;
    const ticket = await signInboxTicket(
      { kind: "inbox", sub: user.id, exp: expiresAt },
      config.ROOM_SECRET,
    );
    const base = config.ROOM_URL.replace(/^http/, "ws").replace(/\/$/, "");
    return c.json({ ticket, url: `${base}/parties/${INBOX_PARTY}/${user.id}`, expiresAt });
  })
  .get("/mentions", requireUser, async (c) => {
    return c.json({ mentions: await mentionsOf(c.get("deps"), currentUser(c).id) });
  });
