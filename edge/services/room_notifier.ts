/**
 * How the edge tells a project's room that something happened outside it (job progress, a new
 * take, a member removed, a reverted graph). The HTTP notifier posts to the PartyKit room; tests
 * use the recording notifier. Delivery is best effort: the database stays the source of truth,
 * and a room that missed an event reloads state when it next starts.
 */

/** One event for a project's room; `type` names it (see protocol/canvas.ts for payloads). */
export interface RoomEvent {
  type: string;
  [key: string]: unknown;
}

export interface RoomNotifier {
  /**
   * Queues an event for the project's room and returns at once: an agent's progress report or
   * completion never waits on the room server. Events of one project arrive in the order given.
   */
  notify(projectId: string, event: RoomEvent): void;
  /** Settles once everything queued so far was delivered or given up on (Workers' waitUntil). */
  drained(): Promise<void>;
}

export function httpRoomNotifier(
  roomUrl: string,
  secret: string,
  log: (line: Record<string, unknown>) => void,
): RoomNotifier {
  const base = roomUrl.replace(/\/$/, "");
  /** The last delivery queued per project; each waits for the one before it. */
  const queues = new Map<string, Promise<void>>();
  async function deliver(projectId: string, event: RoomEvent): Promise<void> {
    try {
      const response = await fetch(`${base}/parties/main/${encodeURIComponent(projectId)}`, {
        method: "POST",
        headers: { "authorization": `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      if (!response.ok) log({ msg: "room notify refused", projectId, status: response.status });
    } catch (error) {
      log({ msg: "room notify failed", projectId, type: event.type, error: String(error) });
    }
  }
  return {
    notify(projectId, event) {
      const queued = (queues.get(projectId) ?? Promise.resolve())
        .then(() => deliver(projectId, event));
      queues.set(projectId, queued);
      queued.then(() => {
        if (queues.get(projectId) === queued) queues.delete(projectId);
      });
    },
    async drained() {
      await Promise.all(queues.values());
    },
  };
}

/** Keeps every event in memory; for tests and for running without a room server. */
export function recordingRoomNotifier(): RoomNotifier & {
  events: Array<{ projectId: string; event: RoomEvent }>;
} {
  const events: Array<{ projectId: string; event: RoomEvent }> = [];
  return {
    events,
    notify(projectId, event) {
      events.push({ projectId, event });
    },
    drained: () => Promise.resolve(),
  };
}
