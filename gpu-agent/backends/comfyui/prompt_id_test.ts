import assert from "node:assert/strict";
import { promptIdFor } from "./prompt_id.ts";

Deno.test("prompt ids are UUIDs that depend only on the job id and attempt", () => {
  const a = promptIdFor("job-1");
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(promptIdFor("job-1"), a);
  assert.notEqual(promptIdFor("job-2"), a);
  assert.notEqual(promptIdFor("job-1", 1), a);
});

Deno.test("prompt ids never change between agent versions (a resubmit finds the earlier prompt)", () => {
  assert.equal(promptIdFor("job-1"), "4cc22e75-394e-5714-93f0-ca3bfa25cffb");
  assert.equal(
    promptIdFor("0d5c4c1e-7a3b-4f0e-9a51-3c2b1f4e8d21", 2),
    "5918d09b-d4ff-5d97-b176-96a3a45df19e",
  );
});
