/**
 * Cursors and selections: the latest value per connection is kept and sent in one batch per
 * tick, so however fast a client moves its mouse, each peer gets at most one position per
 * connection per tick (~30/s at the default 33 ms), and the room stringifies once per tick.
 */
import type { ServerMessage } from "../protocol/canvas.ts";
import type { Clock } from "../protocol/clock.ts";

export class PresenceBatcher {
  #cursors = new Map<string, { x: number; y: number }>();
  #selections = new Map<string, string[]>();
  #cancel: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly broadcast: (message: ServerMessage) => void,
    private readonly intervalMs = 33,
  ) {}

  cursor(connectionId: string, x: number, y: number): void {
    this.#cursors.set(connectionId, { x, y });
    this.#arm();
  }

  selection(connectionId: string, nodeIds: string[]): void {
    this.#selections.set(connectionId, nodeIds);
    this.#arm();
  }

  /** A connection left: its pending updates are dropped (peers get `user.left` instead). */
  forget(connectionId: string): void {
    this.#cursors.delete(connectionId);
    this.#selections.delete(connectionId);
  }

  dispose(): void {
    this.#cancel?.();
    this.#cancel = null;
  }

  #arm(): void {
    this.#cancel ??= this.clock.setTimer(() => this.#tick(), this.intervalMs);
  }

  #tick(): void {
    this.#cancel = null;
    if (this.#cursors.size > 0) {
      const cursors = [...this.#cursors].map(([connectionId, p]) => ({ connectionId, ...p }));
      this.#cursors.clear();
      this.broadcast({ type: "cursor.update", cursors });
    }
    if (this.#selections.size > 0) {
      const selections = [...this.#selections].map(([connectionId, nodeIds]) => ({
        connectionId,
        nodeIds,
      }));
      this.#selections.clear();
      this.broadcast({ type: "selection.update", selections });
    }
  }
}

/** A stable, readable colour per user (hue from a hash of the id). */
export function colorFor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 70% 45%)`;
}
