import assert from "node:assert/strict";
import { commandFor, NUDGE, PAN_STEP } from "./keyboard.ts";

Deno.test("undo and redo work with Ctrl or Cmd, in either redo spelling", () => {
  assert.deepEqual(commandFor({ key: "z", ctrlKey: true }, false), { kind: "undo" });
  assert.deepEqual(commandFor({ key: "z", metaKey: true }, false), { kind: "undo" });
  assert.deepEqual(commandFor({ key: "Z", ctrlKey: true, shiftKey: true }, false), {
    kind: "redo",
  });
  assert.deepEqual(commandFor({ key: "y", ctrlKey: true }, false), { kind: "redo" });
});

Deno.test("arrows nudge a selection and pan an empty one", () => {
  assert.deepEqual(commandFor({ key: "ArrowRight" }, true), { kind: "nudge", dx: NUDGE, dy: 0 });
  assert.deepEqual(commandFor({ key: "ArrowUp", shiftKey: true }, true), {
    kind: "nudge",
    dx: 0,
    dy: -NUDGE * 10,
  });
  assert.deepEqual(commandFor({ key: "ArrowRight" }, false), { kind: "pan", dx: -PAN_STEP, dy: 0 });
});

Deno.test("delete, zoom and fit keys map to their commands; other keys pass through", () => {
  assert.deepEqual(commandFor({ key: "Delete" }, true), { kind: "delete" });
  assert.deepEqual(commandFor({ key: "Backspace" }, true), { kind: "delete" });
  assert.deepEqual(commandFor({ key: "=" }, false), { kind: "zoomIn" });
  assert.deepEqual(commandFor({ key: "-", ctrlKey: true }, false), { kind: "zoomOut" });
  assert.deepEqual(commandFor({ key: "0", ctrlKey: true }, false), { kind: "zoomReset" });
  assert.deepEqual(commandFor({ key: "f" }, false), { kind: "fit" });
  assert.equal(commandFor({ key: "q" }, false), null);
  assert.equal(commandFor({ key: "s", ctrlKey: true }, false), null);
});
