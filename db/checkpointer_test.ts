import assert from "node:assert/strict";
import { checkpointEvery } from "./checkpointer.ts";
import { openDatabase } from "./client.ts";

Deno.test("checkpoints from another connection copy committed pages into the database file; the app's commits do not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-ckpt-" });
  const path = `${dir}/app.db`;
  const logs: Record<string, unknown>[] = [];
  const launcher = await openDatabase({ url: `file:${path}` });
  const app = (await openDatabase({ url: `file:${path}`, checkpointedElsewhere: true })).$client;
  const checkpoints = checkpointEvery(launcher.$client, 20, (l) => logs.push(l));
  try {
    await app.execute("create table blob (data text)");
    const before = (await Deno.stat(path)).size;
    // 2 MB: far below the fallback threshold, so only the checkpoints can have copied it over.
    for (let i = 0; i < 20; i++) {
      await app.execute({ sql: "insert into blob values (?)", args: ["x".repeat(100_000)] });
    }
    let size = before;
    for (let i = 0; i < 100 && size < before + 2_000_000; i++) {
      await new Promise((r) => setTimeout(r, 50));
      size = (await Deno.stat(path)).size;
    }
    assert.ok(size >= before + 2_000_000, `database file grew from ${before} to ${size} bytes`);
    // The file reaches its size before the checkpoint is done (it syncs, then records how far
    // it got): wait until it has recorded every frame of the log as copied.
    for (let i = 0; i < 100 && !(await logFullyCopied(path)); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(logs, [], "no checkpoint failed");
    // Once everything is copied, the next commit starts the log over instead of growing it.
    await app.execute({ sql: "insert into blob values (?)", args: ["small"] });
    const logFrames = (await app.execute("PRAGMA wal_checkpoint(PASSIVE)")).rows[0]![1];
    assert.ok(Number(logFrames) < 10, `the log restarted: ${logFrames} frames in it`);
    const wal = await app.execute("PRAGMA wal_autocheckpoint");
    assert.equal(wal.rows[0]![0], 20_000, "the app's connection checkpoints only as a fallback");
  } finally {
    checkpoints.stop();
    app.close();
    launcher.$client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Reads the WAL index (`-shm`) the way SQLite lays it out: the header's mxFrame (the last frame
 * in the log) at byte 16 and the checkpoint info's nBackfill (frames copied) at byte 96, both in
 * the machine's byte order. Reading it has no side effect, unlike `PRAGMA wal_checkpoint`.
 */
async function logFullyCopied(path: string): Promise<boolean> {
  const shm = await Deno.readFile(`${path}-shm`);
  const view = new DataView(shm.buffer, shm.byteOffset, shm.byteLength);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const lastFrame = view.getUint32(16, littleEndian);
  const copied = view.getUint32(96, littleEndian);
  return lastFrame > 0 && copied === lastFrame;
}
