/**
 * The route tests once more on the stock `@libsql/client` (`MD_STOCK_DB_CLIENT=1`, see
 * edge/testing.ts), so db/file_client.ts, which only keeps prepared statements, cannot drift from
 * the client everyone else uses: every test under edge/ and test/jobs/ passes on both.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the route and job tests pass on the stock @libsql/client too", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    // Type-checked already by the run that runs this test.
    args: ["test", "-A", "--no-check", "edge/", "test/jobs/"],
    cwd: ROOT,
    env: { MD_STOCK_DB_CLIENT: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text.slice(-30_000));
  const passed = Number(text.match(/ok \| (\d+) passed/)?.[1] ?? 0);
  assert.ok(passed >= 100, `${passed} tests ran on the stock client:\n${text.slice(-2000)}`);
});
