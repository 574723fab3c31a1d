/**
 * Start-up never shares a port silently: with another process listening on it (even with
 * SO_REUSEPORT, as another studio's threaded edge does), the edge and `deno task dev` refuse to
 * start and name the setting that moves them. The edge's own threads still share theirs.
 */
import assert from "node:assert/strict";
import { startEdge } from "./edge_process.ts";

const ROOT = new URL("../../", import.meta.url);

/** Another studio's server: SO_REUSEPORT, as the edge's serving threads open theirs. */
function otherStudio(): { port: number; close(): Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, reusePort: true, onListen() {} },
    () => new Response("the other studio", { status: 401 }),
  );
  return { port: server.addr.port, close: () => server.shutdown() };
}

Deno.test("the edge refuses a port another process holds, naming PORT", async () => {
  const other = otherStudio();
  const dir = await Deno.makeTempDir({ prefix: "md-ports-" });
  try {
    await assert.rejects(
      startEdge({
        PORT: String(other.port),
        DATABASE_URL: `file:${dir}/app.db`,
        BLOB_DIR: `${dir}/blobs`,
        ROOM_SECRET: "ports-test-room-secret",
        WEB_DIST: dir,
        EDGE_THREADS: "2",
      }),
      (error: Error) =>
        /exited with 1 before listening/.test(error.message) &&
        new RegExp(`port ${other.port} .*already in use .*set PORT to a free port`).test(
          error.message,
        ),
    );
  } finally {
    await other.close();
    await Deno.remove(dir, { recursive: true });
  }
});

for (const setting of ["PORT", "ROOM_PORT"]) {
  Deno.test(`deno task dev refuses a ${setting} another process holds and never says it is running`, async () => {
    const other = otherStudio();
    try {
      const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const freePort = (free.addr as Deno.NetAddr).port;
      free.close();
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/dev.ts"],
        cwd: ROOT,
        env: {
          PORT: String(setting === "PORT" ? other.port : freePort),
          ROOM_PORT: String(setting === "ROOM_PORT" ? other.port : freePort),
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(output.stdout) +
        new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 1, text);
      assert.match(text, new RegExp(`port ${other.port} .*set ${setting} to a free port`));
      assert.doesNotMatch(text, /is running/);
      assert.doesNotMatch(text, /building the web app/, "refused before doing anything");
    } finally {
      await other.close();
    }
  });
}
