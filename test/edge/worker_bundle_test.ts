/** The Workers entry must bundle for workerd: no native libSQL, no Deno APIs. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("edge/worker.ts bundles for Cloudflare Workers with wrangler", async () => {
  const out = await Deno.makeTempDir({ prefix: "md-worker-" });
  const assets = await Deno.makeTempDir({ prefix: "md-assets-" });
  try {
    // The real web build may not exist in a fresh checkout; the bundle does not depend on it.
    await Deno.writeTextFile(`${assets}/index.html`, "<!doctype html>");
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "npm:wrangler@4.86.0",
        "deploy",
        "--dry-run",
        "--outdir",
        out,
        "--assets",
        assets,
      ],
      cwd: ROOT,
      env: { WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 0, log);
    assert.match(log, /--dry-run: exiting now/);
    const bundle = await Deno.readTextFile(`${out}/worker.js`);
    assert.ok(bundle.length > 10_000, "the bundle has the app in it");
    assert.ok(!bundle.includes("Deno.serve"), "no Deno-only entry code");
    assert.ok(!/@libsql\/(linux|darwin|win32)/.test(bundle), "no native libSQL binding");
    // The file client loads the native binding when imported, which workerd cannot do.
    assert.ok(!bundle.includes("libsql/index.js"), "no native libSQL package");
    assert.ok(!bundle.includes("db/file_client.ts"), "no local-file database client");
    assert.ok(bundle.includes("/api/projects"), "the routes are in the bundle");
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(assets, { recursive: true });
  }
});
