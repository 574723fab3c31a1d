import assert from "node:assert/strict";
import { CliError } from "../cli/cli_error.ts";
import {
  type Credentials,
  credentialsPath,
  readCredentials,
  writeCredentials,
} from "./credentials.ts";

const CREDS: Credentials = {
  serverUrl: "https://studio.example",
  agentId: "0b7e6a0c-0000-4000-8000-000000000001",
  secret: "s3cret",
  name: "render-01",
  heartbeatIntervalMs: 15_000,
  enrolledAt: 1_700_000_000_000,
};

Deno.test({
  name: "credentials are written readable by the user only and read back",
  ignore: Deno.build.os === "windows",
  async fn() {
    const root = await Deno.makeTempDir();
    const dir = `${root}/movie-director`;
    try {
      // A permissive umask must not leak the secret to other users.
      const path = await writeCredentials(dir, CREDS);
      assert.equal(path, credentialsPath(dir));
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
      assert.deepEqual(await readCredentials(dir), CREDS);
      // Re-enrolling replaces the file and keeps it private.
      await Deno.chmod(path, 0o644);
      await writeCredentials(dir, { ...CREDS, secret: "new" });
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await readCredentials(dir))!.secret, "new");
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["agent.json"]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("no file means not enrolled; a broken file names itself and the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readCredentials(dir), null);
    await Deno.writeTextFile(credentialsPath(dir), "{");
    await assert.rejects(
      readCredentials(dir),
      (e) => e instanceof CliError && e.exitCode === 3 && /not valid JSON/.test(e.message),
    );
    await Deno.writeTextFile(credentialsPath(dir), JSON.stringify({ ...CREDS, secret: "" }));
    await assert.rejects(readCredentials(dir), /agent\.json: secret:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
