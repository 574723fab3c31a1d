import assert from "node:assert/strict";
import { safeName } from "./project_files.ts";

Deno.test("a name users typed stays one segment inside its folder: no slashes, no dot folders, no .git", () => {
  assert.equal(safeName("Captain Mara"), "Captain Mara");
  assert.equal(safeName("../../etc/passwd"), "_.._.._etc_passwd");
  assert.equal(safeName(".."), "_");
  assert.equal(safeName(".git"), "_.git");
  assert.equal(safeName("a\\b:c\u0000d"), "a_b_c_d");
  assert.equal(safeName("   "), "_");
});
