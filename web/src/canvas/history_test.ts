import assert from "node:assert/strict";
import type { Change } from "./changes.ts";
import { History } from "./history.ts";

const move = (x: number): Change => ({ type: "node.update", id: "a", set: { x } });

Deno.test("undo and redo walk back and forth through recorded edits", () => {
  const h = new History();
  assert.equal(h.undo(), null);
  h.record({ redo: [move(1)], undo: [move(0)] });
  h.record({ redo: [move(2)], undo: [move(1)] });
  assert.deepEqual(h.undo(), [move(1)]);
  assert.deepEqual(h.undo(), [move(0)]);
  assert.equal(h.canUndo, false);
  assert.deepEqual(h.redo(), [move(1)]);
  assert.equal(h.canRedo, true);
});

Deno.test("a new edit after undo drops the redo branch", () => {
  const h = new History();
  h.record({ redo: [move(1)], undo: [move(0)] });
  h.undo();
  h.record({ redo: [move(5)], undo: [move(0)] });
  assert.equal(h.canRedo, false);
  assert.equal(h.redo(), null);
});

Deno.test("history keeps at most its limit and ignores empty edits", () => {
  const h = new History(2);
  h.record({ redo: [], undo: [] });
  assert.equal(h.canUndo, false);
  for (let i = 1; i <= 3; i++) h.record({ redo: [move(i)], undo: [move(i - 1)] });
  assert.deepEqual(h.undo(), [move(2)]);
  assert.deepEqual(h.undo(), [move(1)]);
  assert.equal(h.undo(), null);
});

Deno.test("edits with one coalesce key in a row are one step, undone to before the first", () => {
  const h = new History();
  h.record({ redo: [move(1)], undo: [move(0)], coalesce: "typing" });
  h.record({ redo: [move(2)], undo: [move(1)], coalesce: "typing" });
  h.record({ redo: [move(3)], undo: [move(2)], coalesce: "typing" });
  assert.deepEqual(h.undo(), [move(0)]);
  assert.deepEqual(h.redo(), [move(3)]);
  h.record({ redo: [move(4)], undo: [move(3)], coalesce: "other" });
  assert.deepEqual(h.undo(), [move(3)], "another key starts a new step");
});
