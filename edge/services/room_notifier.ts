/**
 * How the edge tells a project's room that something happened outside it (job progress, a new
 * take, an access change), and asks it for the live graph (services/live_graph.ts); and how it
 * tells a person's inbox (protocol/inbox.ts) that their invites or projects changed. The HTTP
 * notifier posts to the PartyKit room; tests use the recording notifier, which stands for "no
 * room": nothing newer than the database. Events are best effort (the database keeps jobs and
 * takes, and the studio reloads them); requests are answered or throw.
 */
import type { EdgeEvent } from "../../protocol/canvas.ts";
import { INBOX_PARTY, type InboxEvent } from "../../protocol/inbox.ts";

/** One event for a project's room; `type` names it (see protocol/canvas.ts for payloads). */
export interface RoomEvent {
  type: string;
  [key: string]: unknown;
}

/** What the edge asks the room and waits for (protocol/canvas.ts, `edgeEventSchema`). */
export type RoomGraphRequest = Extract<
  EdgeEvent,
  { type: "graph.flush" | "graph.revert" | "cut.edit" }
>;

/** How long the edge waits for a room's answer: it may first wake and store the graph. */
const ASK_TIMEOUT_MS = 10_000;

export interface RoomNotifier {
  /**
   * Queues an event for the project's room and returns at once: an agent's progress report or
   * completion never waits on the room server. Events of one project arrive in the order given.
   */
  notify(projectId: string, event: RoomEvent): void;
  /** Queues an event for a user's inbox (their open dashboards) and returns at once. */
  notifyUser(userId: string, event: InboxEvent): void;
  /** Settles once everything queued so far was delivered or given up on (Workers' waitUntil). */
  drained(): Promise<void>;
  /**
   * Asks the project's room to store its live graph (`graph.flush`) or to revert it, and
   * resolves to the revision that holds the result. Null when there is no room to ask: the
   * database's current revision is the latest graph then. Throws when the room cannot be
   * reached or could not do it.
   */
  ask(projectId: string, request: RoomGraphRequest): Promise<{ revision: number } | null>;
}

export function httpRoomNotifier(
  roomUrl: string,
  secret: string,
  log: (line: Record<string, unknown>) => void,
): RoomNotifier {
  const base = roomUrl.replace(/\/$/, "");
  const post = (target: string, body: object, timeoutMs: number) =>
    fetch(`${base}/parties/${target}`, {
      method: "POST",
      headers: { "authorization": `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  const roomOf = (projectId: string) => `main/${encodeURIComponent(projectId)}`;
  /** The last delivery queued per room; each waits for the one before it. */
  const queues = new Map<string, Promise<void>>();
  async function deliver(target: string, event: RoomEvent | InboxEvent): Promise<void> {
    try {
      const response = await post(target, event, 5_000);
      await response.body?.cancel();
      if (!response.ok) log({ msg: "room notify refused", room: target, status: response.status });
    } catch (error) {
      log({ msg: "room notify failed", room: target, type: event.type, error: String(error) });
    }
  }
  function enqueue(target: string, event: RoomEvent | InboxEvent): void {
    const queued = (queues.get(target) ?? Promise.resolve()).then(() => deliver(target, event));
    queues.set(target, queued);
    queued.then(() => {
      if (queues.get(target) === queued) queues.delete(target);
    });
  }
  return {
    notify(projectId, event) {
      enqueue(roomOf(projectId), event);
    },
    notifyUser(userId, event) {
      enqueue(`${INBOX_PARTY}/${encodeURIComponent(userId)}`, event);
    },
    async drained() {
      await Promise.all(queues.values());
    },
    async ask(projectId, request) {
      const response = await post(roomOf(projectId), request, ASK_TIMEOUT_MS);
      const text = await response.text();
      if (!response.ok) throw new Error(`the room answered ${response.status}: ${text}`);
      const revision = (JSON.parse(text) as { revision?: unknown }).revision;
      if (typeof revision !== "number") throw new Error(`the room answered without a revision`);
      return { revision };
    },
  };
}

/** Keeps every event in memory and has no room to ask; for tests without a room server. */
export function recordingRoomNotifier(): RoomNotifier & {
  events: Array<{ projectId: string; event: RoomEvent }>;
  userEvents: Array<{ userId: string; event: InboxEvent }>;
  asked: Array<{ projectId: string; request: RoomGraphRequest }>;
} {
  const events: Array<{ projectId: string; event: RoomEvent }> = [];
  const userEvents: Array<{ userId: string; event: InboxEvent }> = [];
  const asked: Array<{ projectId: string; request: RoomGraphRequest }> = [];
  return {
    events,
    userEvents,
    asked,
    notify(projectId, event) {
      events.push({ projectId, event });
    },
    notifyUser(userId, event) {
      userEvents.push({ userId, event });
    },
    drained: () => Promise.resolve(),
    ask(projectId, request) {
      asked.push({ projectId, request });
      return Promise.resolve(null);
    },
  };
}
