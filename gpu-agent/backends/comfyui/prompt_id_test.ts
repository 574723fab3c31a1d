import assert from "node:assert/strict";
import { promptIdFor } from "./prompt_id.ts";

Deno.test("prompt ids are UUIDs that depend only on the job id and attempt", async () => {
  const a = await promptIdFor("job-1");
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await promptIdFor("job-1"), a);
  assert.notEqual(await promptIdFor("job-2"), a);
  assert.notEqual(await promptIdFor("job-1", 1), a);
});
