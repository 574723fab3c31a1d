/**
 * A `RoomClock` whose time moves only when a test says so, so room timers (flush, presence
 * ticks) run deterministically and no real timer is ever left behind.
 */
import type { RoomClock } from "../../party/ports.ts";

export class ManualClock implements RoomClock {
  #time = 1_000_000;
  #next = 1;
  #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const handle = this.#next++;
    this.#timers.set(handle, { at: this.#time + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: number): void {
    this.#timers.delete(handle);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running due timers in time order (and ones they schedule). */
  async advance(ms: number): Promise<void> {
    const end = this.#time + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      const due = [...this.#timers].filter(([, t]) =>
        t.at <= end
      ).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#time = Math.max(this.#time, due[1].at);
      due[1].fn();
      await Promise.resolve(); // let async timer bodies (flushes) progress
      await new Promise((r) => setTimeout(r, 0));
    }
    this.#time = end;
  }
}
