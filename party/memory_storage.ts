/**
 * In-memory `RoomStorage` for tests and simulations. Values are cloned on the way in and out,
 * as real storage serializes them, so a test cannot pass by sharing objects with the room.
 */
import type { RoomStorage } from "./ports.ts";

export class MemoryStorage implements RoomStorage {
  readonly data = new Map<string, unknown>();

  get<T>(key: string): Promise<T | undefined> {
    const value = this.data.get(key);
    return Promise.resolve(value === undefined ? undefined : structuredClone(value) as T);
  }

  list<T>(prefix: string): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const [key, value] of [...this.data].sort(([a], [b]) => a < b ? -1 : 1)) {
      if (key.startsWith(prefix)) out.set(key, structuredClone(value) as T);
    }
    return Promise.resolve(out);
  }

  put(entries: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) this.data.set(key, structuredClone(value));
    return Promise.resolve();
  }

  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.data.delete(key);
    return Promise.resolve();
  }
}
