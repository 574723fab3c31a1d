/**
 * Persist before anyone hears: the room issues each accepted op's writes at once and holds every
 * message (acks, relays, closes) queued after a write until the next turn of the event loop.
 *
 * The runtime does the grouping. Durable Objects (PartyKit rooms) commit all writes made in one
 * turn as one transaction, and their output gate holds any message sent while a write is
 * unconfirmed, so no client hears of an op that a crash could lose, and a turn's ops cost one
 * commit. The messages wait for the next turn rather than going out in the same one because by
 * then the commit is usually done and the gate open, so each send goes straight out instead of
 * queueing behind the gate (in workerd a gated send costs a promise per socket per message,
 * which made relaying an op cost about a third more than an ungated relay).
 */
import type { Clock } from "../protocol/clock.ts";
import type { RoomSocket, RoomStorage } from "./ports.ts";

// Durable Object storage takes at most 128 keys per call.
const MAX_KEYS = 128;

/** A message for a list of sockets (all but `except`), or another action such as a close. */
type Outgoing = { to: readonly RoomSocket[]; except: string | null; text: string } | (() => void);

export class GroupCommit {
  /** Messages queued since this turn's first write, out at the next turn; null when none. */
  #held: Outgoing[] | null = null;
  #cancel: (() => void) | null = null;

  constructor(
    private readonly storage: RoomStorage,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Issues writes now (the runtime applies puts and deletes in call order). */
  write(put: Record<string, unknown>, remove: readonly string[]): void {
    const entries = Object.entries(put);
    for (let i = 0; i < entries.length; i += MAX_KEYS) {
      this.storage.put(Object.fromEntries(entries.slice(i, i + MAX_KEYS))).catch(this.onError);
    }
    for (let i = 0; i < remove.length; i += MAX_KEYS) {
      this.storage.delete(remove.slice(i, i + MAX_KEYS)).catch(this.onError);
    }
    if (this.#held) return;
    this.#held = [];
    this.#cancel = this.clock.setTimer(() => this.#release(), 0);
  }

  /** Sends `text` to every socket of `to` but the one with id `except`, after issued writes. */
  send(to: readonly RoomSocket[], except: string | null, text: string): void {
    this.#queue({ to, except, text });
  }

  /** Runs `action` (a close, say) after the writes issued so far. */
  emit(action: () => void): void {
    this.#queue(action);
  }

  dispose(): void {
    this.#cancel?.();
    this.#release();
  }

  #queue(item: Outgoing): void {
    if (this.#held) this.#held.push(item);
    else this.#run(item);
  }

  #release(): void {
    const held = this.#held ?? [];
    this.#held = null;
    this.#cancel = null;
    for (const item of held) this.#run(item);
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
