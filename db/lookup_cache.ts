/**
 * Answers of hot lookups (who holds a session token, what role a user has in a project), kept
 * while the database stays the same. Every request makes those lookups; between two changes to
 * the database their answers cannot change, so one check of the database's change version
 * replaces the queries. Any change anywhere (another serving thread, another process) drops
 * every answer: no answer outlives the data it came from, so a revoked session or a removed
 * member is refused by the very next request. Clients that cannot tell when the database
 * changed (Turso over the network) get no caching.
 *
 * @example
 * ```ts
 * const cache = lookupCacheFor(db.$client);
 * const role = await cache.get(`role ${userId} ${projectId}`, Date.now(), () => loadRole());
 * ```
 */
import type { Client } from "@libsql/client";
import { type ChangeVersion, changeVersionOf } from "./change_version.ts";

/** An answer, and until when (ms since the epoch) it holds even if nothing changes. */
export interface Cached<T> {
  value: T;
  until: number;
}

// Bounds memory when many distinct keys are asked for (say, a flood of project ids).
const MAX_ENTRIES = 10_000;

export class LookupCache {
  #version: string | null = null;
  #entries = new Map<string, Cached<unknown>>();

  constructor(private readonly changeVersion: ChangeVersion | null) {}

  /**
   * The answer for `key`: kept from an earlier call when the database has not changed since and
   * `now` is before its `until`, else from `load` (kept when load gives one). `load` gives null
   * for "no answer": nothing is kept, and get gives null.
   */
  async get<T>(key: string, now: number, load: () => Promise<Cached<T> | null>): Promise<T | null> {
    const version = this.changeVersion?.() ?? null;
    if (version === null) return (await load())?.value ?? null;
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    const kept = this.#entries.get(key);
    if (kept && now < kept.until) return kept.value as T;
    // The version was read before loading, so the answer is at least as new as the version it
    // is kept under: a change meanwhile only makes the next call load again.
    const loaded = await load();
    if (loaded === null) return null;
    if (this.#version === version) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(key, loaded);
    }
    return loaded.value;
  }
}

const caches = new WeakMap<Client, LookupCache>();

/** The cache of a client's connection (each serving thread has its own). */
export function lookupCacheFor(client: Client): LookupCache {
  let cache = caches.get(client);
  if (!cache) caches.set(client, cache = new LookupCache(changeVersionOf(client)));
  return cache;
}
