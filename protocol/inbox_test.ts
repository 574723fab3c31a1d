import assert from "node:assert/strict";
import { parseInboxEvent } from "./inbox.ts";

Deno.test("an inbox frame is exactly {type, what}; anything else is ignored", () => {
  assert.deepEqual(parseInboxEvent('{"type":"inbox.changed","what":"projects"}'), {
    type: "inbox.changed",
    what: "projects",
  });
  for (
    const text of [
      "not json",
      "null",
      "[]",
      '{"type":"inbox.changed","what":"everything"}',
      '{"type":"state.update","what":"invites"}',
      '{"type":"inbox.changed","what":"invites","invite":{"email":"x@y"}}',
    ]
  ) {
    assert.equal(parseInboxEvent(text), null, text);
  }
});
