/**
 * Which clients can tell when their database changed (see `changeVersion` in
 * embedded_client.ts), kept apart from that client so code that runs on Workers, where the
 * embedded client and its native binding cannot be bundled, can ask without importing it.
 */
import type { Client } from "@libsql/client";

/** A token that stays the same exactly while the database does; null when it cannot tell now. */
export type ChangeVersion = () => string | null;

const versions = new WeakMap<Client, ChangeVersion>();

export function registerChangeVersion(client: Client, version: ChangeVersion): void {
  versions.set(client, version);
}

/** The client's change version, or null for a client that cannot tell (Turso over the network). */
export function changeVersionOf(client: Client): ChangeVersion | null {
  return versions.get(client) ?? null;
}
