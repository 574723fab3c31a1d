import assert from "node:assert/strict";
import { FakeClock } from "../../../test/fakes/fake_clock.ts";
import { LiveEdit } from "./live_edit.ts";

/** A LiveEdit on a fake clock, recording what it sends; `tick` is one throttle interval. */
function harness(valid: (text: string) => boolean = () => true) {
  const sent: string[] = [];
  const clock = new FakeClock();
  const edit = new LiveEdit({
    send: (text) => valid(text) && sent.push(text) > 0,
    clock,
    throttleMs: 200,
  });
  const tick = () => clock.advance(200);
  return { edit, sent, tick };
}

Deno.test("typing is sent while typing, throttled, and the last keystroke is never held back", async () => {
  const { edit, sent, tick } = harness();
  edit.focus("");
  edit.input("a");
  edit.input("ab");
  edit.input("abc");
  assert.deepEqual(sent, ["a"], "the first keystroke goes at once");
  await tick();
  assert.deepEqual(sent, ["a", "abc"], "then the latest, once per interval");
  await tick();
  assert.deepEqual(sent, ["a", "abc"], "nothing new, nothing sent");
  edit.input("abcd");
  edit.blur();
  assert.deepEqual(sent, ["a", "abc", "abcd"]);
  assert.equal(edit.state.kind, "idle");
});

Deno.test("a teammate's change while typing is a conflict: nothing is overwritten unseen", async () => {
  const { edit, sent, tick } = harness();
  edit.focus("rain");
  edit.input("rain on glass");
  edit.shared("rain on glass"); // our own echo
  assert.equal(edit.state.kind, "editing");
  edit.shared("snow"); // Ben's edit
  assert.deepEqual(edit.state, { kind: "conflict", draft: "rain on glass", theirs: "snow" });
  edit.input("rain on glass at night");
  await tick();
  assert.deepEqual(sent, ["rain on glass"], "while in conflict our text is not sent");
  edit.keepMine();
  assert.deepEqual(sent, ["rain on glass", "rain on glass at night"]);
  assert.equal(edit.state.kind, "editing");
});

Deno.test("use theirs takes the shared value; leaving mid-conflict sets our text aside", () => {
  const { edit, sent } = harness();
  edit.focus("a");
  edit.input("ab");
  edit.shared("xyz");
  edit.useTheirs();
  assert.deepEqual(edit.state, { kind: "editing", draft: "xyz" });
  edit.shared("other");
  edit.input("xyz!"); // typed on in the conflict: held back
  edit.blur();
  assert.deepEqual(edit.state, { kind: "set-aside", mine: "xyz!" });
  assert.deepEqual(sent, ["ab"], "leaving in a conflict sends nothing");
  edit.keepMine();
  assert.deepEqual(sent, ["ab", "xyz!"]);
  assert.equal(edit.state.kind, "idle");
});

Deno.test("text the form refuses is not sent and stays in the field after leaving it", () => {
  const { edit, sent, tick } = harness((text) => text.length <= 3);
  edit.focus("");
  edit.input("abc");
  tick();
  edit.input("abcd");
  tick();
  edit.blur();
  assert.deepEqual(sent, ["abc"], "the over-long text never went out");
  assert.deepEqual(edit.state, { kind: "editing", draft: "abcd" }, "and was not thrown away");
  edit.focus("abcd");
  edit.input("abd");
  edit.blur();
  assert.deepEqual(sent, ["abc", "abd"]);
  assert.equal(edit.state.kind, "idle");
});
