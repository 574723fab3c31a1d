/**
 * Undo and redo of this user's own edits. Each entry is one gesture (a drag, a paste, a delete
 * of a selection) stored as the changes it made and their inverse. Undo applies the inverse;
 * changes whose target a teammate has since removed are skipped by `applyChanges`, so undo
 * never resurrects or breaks someone else's work beyond what this user did. Undoing a delete
 * restores the node under its own id (see `planEdit`), so entries never need renaming.
 */
import type { Change } from "./changes.ts";

export interface HistoryEntry {
  /** What the user did, to re-apply on redo. */
  redo: Change[];
  /** What undoes it, computed against the graph before the edit. */
  undo: Change[];
  /**
   * Edits with the same key in a row are one step (typing into one field while it has focus):
   * the step redoes the latest and undoes to before the first.
   */
  coalesce?: string;
}

export class History {
  readonly #past: HistoryEntry[] = [];
  readonly #future: HistoryEntry[] = [];
  readonly #limit: number;

  constructor(limit = 200) {
    this.#limit = limit;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Records a new edit; a new edit ends the redo branch, as in every editor. */
  record(entry: HistoryEntry): void {
    if (entry.redo.length === 0) return;
    const last = this.#past.at(-1);
    this.#future.length = 0;
    if (entry.coalesce !== undefined && last?.coalesce === entry.coalesce) {
      last.redo = entry.redo;
      return;
    }
    this.#past.push(entry);
    if (this.#past.length > this.#limit) this.#past.shift();
  }

  /** The changes to apply to undo the last edit, or null when there is none. */
  undo(): Change[] | null {
    const entry = this.#past.pop();
    if (!entry) return null;
    this.#future.push(entry);
    return entry.undo;
  }

  /** The changes to apply to redo the last undone edit, or null when there is none. */
  redo(): Change[] | null {
    const entry = this.#future.pop();
    if (!entry) return null;
    this.#past.push(entry);
    return entry.redo;
  }

  clear(): void {
    this.#past.length = 0;
    this.#future.length = 0;
  }
}
