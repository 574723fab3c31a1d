/**
 * Group commit for the room: the writes of every op accepted within one short window go to
 * storage as one batch, and the messages produced meanwhile (acks, relays, anything else) are
 * released in order once that batch has been issued. On PartyKit (Durable Objects) the output
 * gate holds any message sent while a write is unconfirmed, so no client hears of an op that a
 * crash could lose, yet a busy room pays one storage commit per window instead of one per op.
 *
 * The messages go out one turn after the batch is issued rather than in the same turn: the
 * runtime commits a turn's writes when the turn ends, so by the next turn the gate is usually
 * open again and each send goes straight out instead of queueing behind the gate (in workerd a
 * gated send costs a promise per socket per message, which made relaying an op to a room cost
 * about a third more than an ungated relay).
 *
 * With `delayMs: 0` (the room's default) there is no window of our own: each op's writes are
 * issued at once and the runtime makes every write of a turn one commit.
 * With `delayMs: "sync"` every write and message goes out at once (unit tests).
 */
import type { RoomClock, RoomSocket, RoomStorage } from "./ports.ts";

// Durable Object storage takes at most 128 keys per call.
const MAX_KEYS = 128;

/** A message for a list of sockets (all but `except`), or another action such as a close. */
type Outgoing = { to: readonly RoomSocket[]; except: string | null; text: string } | (() => void);

export class GroupCommit {
  #put = new Map<string, unknown>();
  #remove = new Set<string>();
  /** Messages behind writes that are recorded but not issued yet. */
  #waiting: Outgoing[] = [];
  /** Messages whose writes were issued in an earlier turn: out at the next release. */
  #issued: Outgoing[] = [];
  #writeTimer: number | null = null;
  #releaseTimer: number | null = null;

  constructor(
    private readonly storage: RoomStorage,
    private readonly clock: RoomClock,
    private readonly delayMs: number | "sync",
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Records writes (a key in both: the later call wins). */
  write(put: Record<string, unknown>, remove: Iterable<string>): void {
    for (const key of remove) {
      this.#put.delete(key);
      this.#remove.add(key);
    }
    for (const key in put) {
      this.#remove.delete(key);
      this.#put.set(key, put[key]);
    }
    // With no window the runtime batches for us: Durable Objects commit all writes made before
    // the turn ends as one transaction, so issuing each op's writes at once costs no extra
    // commits and saves a timer per op.
    if (this.delayMs === "sync" || this.delayMs === 0) this.#commit();
    else this.#writeTimer ??= this.clock.setTimeout(() => this.#commit(), this.delayMs);
  }

  /** Sends `text` to every socket of `to` but the one with id `except`, after pending writes. */
  send(to: readonly RoomSocket[], except: string | null, text: string): void {
    this.#queue({ to, except, text });
  }

  /** Runs `action` (a close, say) after the writes recorded so far are issued. */
  emit(action: () => void): void {
    this.#queue(action);
  }

  /** Issues what is pending now (before writes that bypass the batch). */
  now(): void {
    if (this.#writeTimer !== null) this.clock.clearTimeout(this.#writeTimer);
    this.#commit();
  }

  dispose(): void {
    this.now();
    if (this.#releaseTimer !== null) this.clock.clearTimeout(this.#releaseTimer);
    this.#release();
  }

  #queue(item: Outgoing): void {
    if (this.#writeTimer !== null) this.#waiting.push(item);
    else if (this.#releaseTimer !== null) this.#issued.push(item);
    else this.#run(item);
  }

  #commit(): void {
    this.#writeTimer = null;
    const put = this.#put;
    const remove = [...this.#remove];
    this.#put = new Map();
    this.#remove = new Set();
    if (put.size > 0) {
      const entries = [...put];
      for (let i = 0; i < entries.length; i += MAX_KEYS) {
        this.storage.put(Object.fromEntries(entries.slice(i, i + MAX_KEYS))).catch(this.onError);
      }
    }
    for (let i = 0; i < remove.length; i += MAX_KEYS) {
      this.storage.delete(remove.slice(i, i + MAX_KEYS)).catch(this.onError);
    }
    const waiting = this.#waiting;
    this.#waiting = [];
    if (this.delayMs === "sync") {
      for (const item of waiting) this.#run(item);
      return;
    }
    for (const item of waiting) this.#issued.push(item);
    // Messages queued from now on until the next turn follow these writes too.
    this.#releaseTimer ??= this.clock.setTimeout(() => this.#release(), 0);
  }

  #release(): void {
    this.#releaseTimer = null;
    const issued = this.#issued;
    this.#issued = [];
    for (const item of issued) this.#run(item);
  }

  #run(item: Outgoing): void {
    // A socket that closed meanwhile must not keep the others from hearing of the batch.
    if (typeof item === "function") {
      try {
        item();
      } catch (error) {
        this.onError(error);
      }
      return;
    }
    const { to, except, text } = item;
    for (const socket of to) {
      if (socket.id === except) continue;
      try {
        socket.send(text);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
