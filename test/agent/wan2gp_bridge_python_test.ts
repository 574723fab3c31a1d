/**
 * Runs the bridge's Python tests (test/fakes/wan2gp/test_bridge.py) under Debian's python3, as
 * part of `deno task test`: the bridge's Wan2GP side against the fake Wan2GP package.
 */
import assert from "node:assert/strict";

const python = await Deno.stat("/usr/bin/python3").then(() => "/usr/bin/python3", () => "python3");

Deno.test("the Wan2GP bridge's Python side passes its tests under python3", async () => {
  const { code, stderr } = await new Deno.Command(python, {
    args: [new URL("../fakes/wan2gp/test_bridge.py", import.meta.url).pathname, "-v"],
    env: { PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = new TextDecoder().decode(stderr);
  assert.equal(code, 0, report);
  assert.match(report, /Ran \d+ tests/);
  assert.match(report, /\nOK\n/);
});
