/**
 * The Workers entry runs in workerd (`wrangler dev --local`): it answers health checks, says
 * plainly that no database is configured, and refuses to start on settings that cannot work
 * there, naming the setting.
 */
import assert from "node:assert/strict";
import { freePort } from "../rooms/partykit_server.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "worker-test-room-secret-0123456789";

interface WranglerDev {
  url: string;
  output(): string;
  /** Resolves with the exit code once wrangler stops by itself. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

async function wranglerDev(vars: Record<string, string>): Promise<WranglerDev> {
  const dir = await Deno.makeTempDir({ prefix: "md-wrangler-" });
  await Deno.mkdir(`${dir}/assets`);
  await Deno.writeTextFile(`${dir}/assets/index.html`, "<!doctype html><title>studio</title>");
  const port = freePort();
  const args = [
    "run",
    "-A",
    "npm:wrangler@4.86.0",
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(freePort()),
    "--persist-to",
    `${dir}/state`,
    "--assets",
    `${dir}/assets`,
    "--show-interactive-dev-session=false",
  ];
  for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true, // its own process group, so stop() reaches workerd too
  }).spawn();
  let output = "";
  const drains = [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output += chunk;
  });
  const exited = child.status.then((s) => s.code);
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop() {
      try {
        Deno.kill(-child.pid, "SIGTERM");
      } catch { /* already gone */ }
      await exited;
      await Promise.all(drains);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

async function untilAnswers(dev: WranglerDev, path: string): Promise<Response> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      return await fetch(`${dev.url}${path}`, { signal: AbortSignal.timeout(5000) });
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev never answered:\n${dev.output()}`);
}

Deno.test("the Workers entry serves in workerd and says the database is not configured", async () => {
  const dev = await wranglerDev({ ROOM_SECRET: SECRET });
  try {
    const health = await untilAnswers(dev, "/healthz");
    assert.equal(health.status, 200, dev.output());
    assert.deepEqual(await health.json(), { ok: true });
    assert.equal(health.headers.get("x-content-type-options"), "nosniff");

    const ready = await fetch(`${dev.url}/readyz`);
    assert.equal(ready.status, 503);
    const body = await ready.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, "database_not_configured");
    assert.match(body.error.message, /DATABASE_URL is not set/);

    const login = await fetch(`${dev.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ada@example.com", password: "correct horse battery" }),
    });
    assert.equal(login.status, 503, "a route that needs the database says why, not 500");
    const refused = await login.json() as { error: { code: string } };
    assert.equal(refused.error.code, "database_not_configured");
  } finally {
    await dev.stop();
  }
});

Deno.test("settings that cannot work on Workers stop it at start, naming the setting", async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /ROOM_SECRET/],
    [{ ROOM_SECRET: SECRET, BLOB_STORE: "local" }, /BLOB_STORE: the local blob folder cannot work/],
    [{ ROOM_SECRET: SECRET, DATABASE_URL: "file:app.db" }, /DATABASE_URL: a file: database/],
  ];
  // One at a time: each start is a whole workerd, and this machine has two cores.
  for (const [vars, named] of cases) {
    const dev = await wranglerDev(vars);
    try {
      const code = await Promise.race([
        dev.exited,
        new Promise<"running">((r) => setTimeout(() => r("running"), 90_000)),
      ]);
      assert.notEqual(code, 0, `${JSON.stringify(vars)} must not start:\n${dev.output()}`);
      assert.notEqual(code, "running", `${JSON.stringify(vars)} is still running`);
      assert.match(dev.output(), named);
    } finally {
      await dev.stop();
    }
  }
});
