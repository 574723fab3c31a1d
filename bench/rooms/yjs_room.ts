/**
 * Benchmark peer: the off-the-shelf Yjs room (y-partykit) carrying the same edits as a shared
 * document, persisted as a snapshot (y-partykit's recommended mode).
 */
import type * as Party from "partykit/server";
import { onConnect } from "y-partykit";

export default class YjsRoom implements Party.Server {
  constructor(readonly party: Party.Room) {}

  onConnect(conn: Party.Connection): Promise<void> {
    return onConnect(conn, this.party, { persist: { mode: "snapshot" } });
  }
}
