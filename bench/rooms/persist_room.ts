/**
 * Benchmark baseline: stores each edit frame, then relays it to everyone else, and does nothing
 * more (no parsing, no validation, no ordering). Like our room's ops, an edit is heard of only
 * once stored: the runtime's output gate holds the relay until the write is durable. Cursor
 * moves are relayed unstored, as ours does with presence. What the runtime can do for a room
 * that persists every op, so ours is compared with the cost it cannot avoid.
 */
import type * as Party from "partykit/server";

/** The part of Durable Object storage used here (partykit's types lean on workers-types). */
type Storage = { put(key: string, value: unknown): Promise<void> };

export default class PersistRoom implements Party.Server {
  constructor(readonly party: Party.Room) {}

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection): void {
    // One key per sender, as our room writes the node a client edits. The bench clients' frames
    // start with their type (adapters.ts), so a prefix tells a cursor move without parsing.
    if (!(message as string).startsWith('{"type":"cursor.')) {
      void (this.party.storage as unknown as Storage).put(`frame:${sender.id}`, message);
    }
    this.party.broadcast(message as string, [sender.id]);
  }
}
