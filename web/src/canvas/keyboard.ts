/**
 * The canvas's keyboard shortcuts as data: a key event maps to a command, which the engine
 * runs. Kept apart from the DOM so the map can be tested and listed in the help overlay.
 */

export type Command =
  | { kind: "delete" }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "selectAll" }
  | { kind: "deselect" }
  | { kind: "nudge"; dx: number; dy: number }
  | { kind: "pan"; dx: number; dy: number }
  | { kind: "zoomIn" }
  | { kind: "zoomOut" }
  | { kind: "zoomReset" }
  | { kind: "fit" }
  | { kind: "duplicate" };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

/** World units an arrow key nudges a selection (ten times that with Shift). */
export const NUDGE = 10;
/** Screen pixels an arrow key pans when nothing is selected. */
export const PAN_STEP = 80;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The command for a key press, or null when the canvas should let the key through.
 * `hasSelection` decides whether arrows move nodes or pan the view.
 */
export function commandFor(e: KeyInput, hasSelection: boolean): Command | null {
  // Cmd on macOS, Ctrl elsewhere: either works, so a shared shortcut list stays short.
  const mod = e.ctrlKey === true || e.metaKey === true;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    if (key === "z") return e.shiftKey ? { kind: "redo" } : { kind: "undo" };
    if (key === "y") return { kind: "redo" };
    if (key === "a") return { kind: "selectAll" };
    if (key === "d") return { kind: "duplicate" };
    if (key === "0") return { kind: "zoomReset" };
    if (key === "=" || key === "+") return { kind: "zoomIn" };
    if (key === "-") return { kind: "zoomOut" };
    return null;
  }
  if (e.altKey) return null;
  if (key === "Delete" || key === "Backspace") return { kind: "delete" };
  if (key === "Escape") return { kind: "deselect" };
  if (key === "=" || key === "+") return { kind: "zoomIn" };
  if (key === "-") return { kind: "zoomOut" };
  if (key === "f" && e.shiftKey !== true) return { kind: "fit" };
  const arrow = ARROWS[key];
  if (arrow) {
    const [x, y] = arrow;
    if (hasSelection) {
      const step = e.shiftKey ? NUDGE * 10 : NUDGE;
      return { kind: "nudge", dx: x * step, dy: y * step };
    }
    // Arrow pans move the view the way the arrow points, i.e. the world the other way
    // (`|| 0` avoids a -0 that would leak into the viewport).
    return { kind: "pan", dx: -x * PAN_STEP || 0, dy: -y * PAN_STEP || 0 };
  }
  return null;
}

/** Human-readable list of the shortcuts, for the help overlay. */
export const SHORTCUTS: readonly [string, string][] = [
  ["Drag empty space / Space+drag / middle drag", "pan"],
  ["Wheel / pinch, Ctrl+wheel", "pan, zoom"],
  ["+ / − / Ctrl+0 / F", "zoom in, out, 100%, fit"],
  ["Shift+drag", "select with a marquee"],
  ["Shift+click", "add to selection"],
  ["Arrows (Shift: ×10)", "nudge selection, or pan"],
  ["Delete / Backspace", "delete selection"],
  ["Ctrl+Z / Ctrl+Shift+Z", "undo / redo your edits"],
  ["Ctrl+D", "duplicate selection (beside it)"],
  ["Ctrl+A / Esc", "select all / none"],
  ["Right click / long press", "add a node there; a node's actions"],
];
