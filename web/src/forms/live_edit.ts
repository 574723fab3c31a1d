/**
 * One text field edited live with teammates: what the user types is sent while they type (at
 * most every `throttleMs`, the last keystroke always), and a change that reaches the field from
 * someone else while it has focus never replaces the user's text unseen: it becomes a conflict
 * the user resolves ("use theirs" or "keep mine"). Leaving the field with the conflict open keeps
 * the shared value and holds the user's text aside, still offered. Text the form refuses (over
 * its limit, say) is never sent, and leaving the field does not throw it away. Framework-free: the
 * inspector binds it to an input, tests drive it with a fake clock.
 *
 * @example
 * ```ts
 * const edit = new LiveEdit({ send: (text) => commit(text), clock: systemClock });
 * input.onfocus = () => edit.focus(input.value);
 * input.oninput = () => edit.input(input.value);
 * input.onblur = () => edit.blur();
 * ```
 */
import type { Clock } from "../../../protocol/clock.ts";

export interface LiveEditOptions {
  /**
   * Writes `text` to the shared graph; `false`: the text is not valid (the form says why) and
   * was not sent, so the field keeps it for the user to fix rather than dropping it.
   */
  send(text: string): boolean | void;
  clock: Clock;
  throttleMs?: number;
  /** Called after every change of `state`. */
  changed?(): void;
}

export type LiveEditState =
  /** Not being edited: the field shows the shared value. */
  | { kind: "idle" }
  /** Focused: the field shows `draft`. */
  | { kind: "editing"; draft: string }
  /** Focused, and the shared value became `theirs` (by someone else) meanwhile. */
  | { kind: "conflict"; draft: string; theirs: string }
  /** Left during a conflict: the shared value stayed theirs; `mine` is offered back. */
  | { kind: "set-aside"; mine: string };

const THROTTLE_MS = 200;

export class LiveEdit {
  readonly #o: LiveEditOptions;
  #state: LiveEditState = { kind: "idle" };
  /** The shared value as this field last saw or wrote it. */
  #shared = "";
  #cancel: (() => void) | null = null;
  /** A keystroke arrived while throttled: send the draft when the timer fires. */
  #dirty = false;

  constructor(options: LiveEditOptions) {
    this.#o = options;
  }

  get state(): LiveEditState {
    return this.#state;
  }

  /** The field got focus, showing the shared value `current`. */
  focus(current: string): void {
    this.#shared = current;
    // A set-aside text stays offered until the user decides on it.
    if (this.#state.kind === "set-aside") return;
    this.#set({ kind: "editing", draft: current });
  }

  input(text: string): void {
    const s = this.#state;
    if (s.kind === "conflict") this.#set({ ...s, draft: text });
    else this.#set({ kind: "editing", draft: text });
    // In a conflict nothing is sent until the user chooses: typing on must not erase theirs.
    if (this.#state.kind !== "editing") return;
    if (this.#cancel !== null) {
      this.#dirty = true;
      return;
    }
    this.#sendDraft();
    this.#arm();
  }

  /** The shared value is now `value` (an echo of our own send, or someone else's edit). */
  shared(value: string): void {
    const s = this.#state;
    if (value === this.#shared) return;
    this.#shared = value;
    if (s.kind === "editing" && value !== s.draft) {
      this.#cancelTimer();
      this.#set({ kind: "conflict", draft: s.draft, theirs: value });
    } else if (s.kind === "conflict") {
      this.#set(value === s.draft ? { kind: "editing", draft: s.draft } : { ...s, theirs: value });
    }
  }

  /** The field lost focus: what was typed is sent, unless a conflict is open. */
  blur(): void {
    const s = this.#state;
    this.#cancelTimer();
    if (s.kind === "editing") {
      // Refused text stays shown (as an unsent draft) until the user fixes or replaces it.
      if (s.draft === this.#shared || this.#send(s.draft)) this.#set({ kind: "idle" });
    } else if (s.kind === "conflict") {
      this.#set({ kind: "set-aside", mine: s.draft });
    }
  }

  /** Drop the user's text for the shared value. */
  useTheirs(): void {
    const s = this.#state;
    if (s.kind === "conflict") this.#set({ kind: "editing", draft: this.#shared });
    else if (s.kind === "set-aside") this.#set({ kind: "idle" });
  }

  /** Write the user's text over the shared value. */
  keepMine(): void {
    const s = this.#state;
    if (s.kind === "conflict") {
      if (this.#send(s.draft)) this.#set({ kind: "editing", draft: s.draft });
    } else if (s.kind === "set-aside") {
      if (this.#send(s.mine)) this.#set({ kind: "idle" });
    }
  }

  dispose(): void {
    this.#cancelTimer();
  }

  #arm(): void {
    this.#cancel = this.#o.clock.setTimer(() => {
      this.#cancel = null;
      if (!this.#dirty) return;
      this.#dirty = false;
      if (this.#state.kind !== "editing") return;
      this.#sendDraft();
      this.#arm();
    }, this.#o.throttleMs ?? THROTTLE_MS);
  }

  #sendDraft(): void {
    const s = this.#state;
    if (s.kind === "editing" && s.draft !== this.#shared) this.#send(s.draft);
  }

  /** Whether `text` was sent. Set first: the echo of our own send may arrive within `send`. */
  #send(text: string): boolean {
    const before = this.#shared;
    this.#shared = text;
    if (this.#o.send(text) !== false) return true;
    this.#shared = before;
    return false;
  }

  #cancelTimer(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.#dirty = false;
  }

  #set(state: LiveEditState): void {
    this.#state = state;
    this.#o.changed?.();
  }
}
