/**
 * The signed-in person's inbox socket (protocol/inbox.ts): while the dashboard is open, the edge
 * tells it when an invitation to them was made or withdrawn and when their memberships changed,
 * and the page reloads that list at once. partysocket reconnects with back-off, fetching a fresh
 * ticket for every attempt; each time it opens both lists are reloaded, since events sent before
 * it opened or while it was down are not replayed.
 */
import ReconnectingWebSocket from "partysocket/ws";
import { INBOX_CLOSE_CODES, type InboxChange, parseInboxEvent } from "../../../protocol/inbox.ts";
import { api } from "../services.ts";

export interface InboxCallbacks {
  changed(what: InboxChange): void;
  /** The inbox stopped for good (too many dashboards open): say why. */
  stopped(reason: string): void;
}

/** Opens the inbox; the returned function closes it. */
export function openInbox(callbacks: InboxCallbacks): () => void {
  const socket = new ReconnectingWebSocket(
    async () => {
      const grant = await api.inbox.ticket();
      return `${grant.url}?ticket=${encodeURIComponent(grant.ticket)}`;
    },
    [],
    { maxReconnectionDelay: 10_000, minReconnectionDelay: 500 },
  );
  // Whatever happened before the socket opened (or while it was down) was not sent to it.
  socket.addEventListener("open", () => {
    callbacks.changed("invites");
    callbacks.changed("projects");
    callbacks.changed("mentions");
  });
  socket.addEventListener("message", (e) => {
    const event = parseInboxEvent(String(e.data));
    if (event) callbacks.changed(event.what);
  });
  socket.addEventListener("close", (e) => {
    if (e.code !== INBOX_CLOSE_CODES.tooManyConnections) return;
    socket.close();
    callbacks.stopped("too many dashboards are open: close some tabs, then reload this one");
  });
  return () => socket.close();
}
