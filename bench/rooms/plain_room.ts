/**
 * Benchmark baseline: relays every frame to everyone else and does nothing more (no parsing,
 * no validation, no storage). What the runtime can do for a room at best.
 */
import type * as Party from "partykit/server";

export default class PlainRoom implements Party.Server {
  constructor(readonly party: Party.Room) {}

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection): void {
    this.party.broadcast(message as string, [sender.id]);
  }
}
