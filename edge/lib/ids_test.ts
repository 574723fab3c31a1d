import assert from "node:assert/strict";
import { idSchema, newId } from "./ids.ts";

Deno.test("new ids are valid UUIDv7s that sort by creation time", async () => {
  const first = newId();
  await new Promise((r) => setTimeout(r, 2));
  const later = Array.from({ length: 100 }, newId);
  for (const id of [first, ...later]) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(idSchema.safeParse(id).success);
    assert.ok(id > first || id === first, "a later id sorts after an earlier one");
  }
  assert.equal(new Set(later).size, 100, "ids made in the same millisecond still differ");
  const ms = parseInt(first.replaceAll("-", "").slice(0, 12), 16);
  assert.ok(Math.abs(ms - Date.now()) < 5000, "the first 48 bits are the time in ms");
  assert.ok(idSchema.safeParse(crypto.randomUUID()).success, "older v4 ids still pass");
});
