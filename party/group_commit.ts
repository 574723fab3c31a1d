/**
 * Group commit for the room: the writes of every op accepted within one short window go to
 * storage as one batch, and the messages produced meanwhile (acks, relays, anything else) are
 * released in order right after that batch is issued. On PartyKit (Durable Objects) the output
 * gate then holds them until the batch is durable, so no client hears of an op that a crash
 * could lose, yet a busy room pays one storage commit per window instead of one per op.
 *
 * With `delayMs: "sync"` every write and message goes out at once (unit tests).
 */
import type { RoomClock, RoomStorage } from "./ports.ts";

// Durable Object storage takes at most 128 keys per call.
const MAX_KEYS = 128;

export class GroupCommit {
  #put: Record<string, unknown> = {};
  #remove = new Set<string>();
  #out: (() => void)[] = [];
  #timer: number | null = null;

  constructor(
    private readonly storage: RoomStorage,
    private readonly clock: RoomClock,
    private readonly delayMs: number | "sync",
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Records writes (a key in both: the later call wins). */
  write(put: Record<string, unknown>, remove: Iterable<string>): void {
    for (const key of remove) {
      delete this.#put[key];
      this.#remove.add(key);
    }
    for (const [key, value] of Object.entries(put)) {
      this.#remove.delete(key);
      this.#put[key] = value;
    }
    if (this.delayMs === "sync") this.#commit();
    else this.#timer ??= this.clock.setTimeout(() => this.#commit(), this.delayMs);
  }

  /** Runs `action` (a send or close) after the writes recorded so far are issued. */
  emit(action: () => void): void {
    if (this.#timer === null) this.#run(action);
    else this.#out.push(action);
  }

  /** Issues what is pending now (before writes that bypass the batch). */
  now(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#commit();
  }

  dispose(): void {
    this.now();
  }

  #commit(): void {
    this.#timer = null;
    const entries = Object.entries(this.#put);
    const remove = [...this.#remove];
    const out = this.#out;
    this.#put = {};
    this.#remove = new Set();
    this.#out = [];
    for (let i = 0; i < entries.length; i += MAX_KEYS) {
      this.storage.put(Object.fromEntries(entries.slice(i, i + MAX_KEYS))).catch(this.onError);
    }
    for (let i = 0; i < remove.length; i += MAX_KEYS) {
      this.storage.delete(remove.slice(i, i + MAX_KEYS)).catch(this.onError);
    }
    for (const action of out) this.#run(action);
  }

  #run(action: () => void): void {
    try {
      action();
    } catch (error) {
      // A socket that closed meanwhile must not keep the others from hearing of the batch.
      this.onError(error);
    }
  }
}
