import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { MemoryLogger } from "../log/memory_logger.ts";
import { putFileOnce } from "./put_file.ts";
import { uploadFile } from "./upload.ts";

interface Received {
  contentLength: string | null;
  contentType: string | null;
  transferEncoding: string | null;
  bytes: number;
  sha256: string;
}

/** A presigned-URL stand-in: hashes what it receives; answers `failures` first, then 200. */
function objectStore(failures: number[] = []) {
  const received: Received[] = [];
  let attempts = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    attempts++;
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of req.body!) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    received.push({
      contentLength: req.headers.get("content-length"),
      contentType: req.headers.get("content-type"),
      transferEncoding: req.headers.get("transfer-encoding"),
      bytes,
      sha256: hash.digest("hex"),
    });
    const status = failures[attempts - 1];
    return status ? new Response("SlowDown", { status }) : new Response(null, { status: 200 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/bucket/take01.mp4?X-Amz-Signature=abc`,
    received,
    attempts: () => attempts,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function tempFile(size: number): Promise<{ path: string; sha256: string } & AsyncDisposable> {
  const path = await Deno.makeTempFile({ suffix: ".mp4" });
  const hash = createHash("sha256");
  using file = await Deno.open(path, { write: true });
  const chunk = new Uint8Array(1 << 20);
  for (let written = 0; written < size; written += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, size - written));
    for (let i = 0; i < part.length; i += 65536) {
      crypto.getRandomValues(part.subarray(i, i + 65536));
    }
    hash.update(part);
    let offset = 0;
    while (offset < part.length) offset += await file.write(part.subarray(offset));
  }
  return { path, sha256: hash.digest("hex"), [Symbol.asyncDispose]: () => Deno.remove(path) };
}

const quick = (logger = new MemoryLogger()) => ({ baseDelayMs: 1, random: () => 0, logger });

Deno.test("uploadFile() streams the file with Content-Length and returns its size and sha256", async () => {
  await using store = objectStore();
  await using file = await tempFile(5 * 1024 * 1024 + 123);
  const result = await uploadFile(file.path, store.url, {
    contentType: "video/mp4",
    retry: quick(),
  });
  assert.deepEqual(result, { bytes: 5 * 1024 * 1024 + 123, sha256: file.sha256 });
  assert.deepEqual(store.received, [{
    contentLength: String(5 * 1024 * 1024 + 123),
    contentType: "video/mp4",
    transferEncoding: null,
    bytes: 5 * 1024 * 1024 + 123,
    sha256: file.sha256,
  }]);
});

Deno.test("uploadFile() reports progress up to the full size", async () => {
  await using store = objectStore();
  await using file = await tempFile(3 * 1024 * 1024);
  const seen: number[] = [];
  await uploadFile(file.path, store.url, {
    contentType: "video/mp4",
    onProgress: (sent, total) => {
      assert.equal(total, 3 * 1024 * 1024);
      seen.push(sent);
    },
    retry: quick(),
  });
  assert.ok(seen.length > 1);
  assert.equal(seen.at(-1), 3 * 1024 * 1024);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
});

Deno.test("a 200 that arrives as soon as the last byte does is a finished upload, every time", async () => {
  // Object stores answer once they hold Content-Length bytes, sometimes before the sender has
  // read the end of its file; that must not count as "answered before the body was done".
  await using file = await tempFile(64 * 1024);
  await using store = objectStore();
  for (let i = 0; i < 200; i++) {
    const result = await putFileOnce(file.path, store.url, { contentType: "image/png" });
    assert.equal(result.sha256, file.sha256);
  }
  assert.equal(store.attempts(), 200);
});

Deno.test("uploadFile() retries 503 and 429 and sends the whole file again", async () => {
  await using store = objectStore([503, 429]);
  await using file = await tempFile(200_000);
  const logger = new MemoryLogger();
  const result = await uploadFile(file.path, store.url, {
    contentType: "video/mp4",
    retry: quick(logger),
  });
  assert.equal(store.attempts(), 3);
  assert.equal(result.sha256, file.sha256);
  assert.ok(store.received.every((r) => r.sha256 === file.sha256));
  assert.equal(logger.matching("retrying").length, 1);
  assert.equal(logger.matching("back after 2 failed attempts").length, 1);
});

Deno.test("uploadFile() does not retry a 403 (expired signature) and names the status", async () => {
  await using store = objectStore([403]);
  await using file = await tempFile(1000);
  await assert.rejects(
    uploadFile(file.path, store.url, { contentType: "video/mp4", retry: quick() }),
    /upload: HTTP 403 \(SlowDown\)/,
  );
  assert.equal(store.attempts(), 1);
});

Deno.test("uploadFile() retries when the connection drops mid-body", async () => {
  // A raw TCP server: the first connection is cut after a few KB, the second is answered.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const bodies: Uint8Array[] = [];
  const serving = (async () => {
    let n = 0;
    for await (const conn of listener) {
      n++;
      const buffer = new Uint8Array(64 * 1024);
      if (n === 1) {
        await conn.read(buffer);
        conn.close();
        continue;
      }
      const data = await _readRequest(conn);
      bodies.push(data);
      await conn.write(
        new TextEncoder().encode(
          "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        ),
      );
      conn.close();
      break;
    }
  })();
  await using file = await tempFile(2 * 1024 * 1024);
  const logger = new MemoryLogger();
  try {
    const result = await uploadFile(file.path, `http://127.0.0.1:${port}/put`, {
      contentType: "video/mp4",
      retry: quick(logger),
    });
    assert.equal(logger.matching("retrying").length, 1, "the first attempt failed");
    assert.equal(result.sha256, file.sha256);
    assert.equal(createHash("sha256").update(bodies[0]!).digest("hex"), file.sha256);
  } finally {
    // Leaving the for-await loop closed it already when the upload succeeded.
    try {
      listener.close();
    } catch { /* already closed */ }
    await serving.catch(() => {});
  }
});

Deno.test("uploadFile() stops when the signal aborts", async () => {
  await using store = objectStore([503, 503, 503, 503, 503]);
  await using file = await tempFile(1000);
  const controller = new AbortController();
  const upload = uploadFile(file.path, store.url, {
    contentType: "video/mp4",
    signal: controller.signal,
    retry: { baseDelayMs: 60_000, random: () => 1, logger: new MemoryLogger() },
  });
  while (store.attempts() === 0) await new Promise((r) => setTimeout(r, 5));
  controller.abort(new DOMException("job canceled", "AbortError"));
  await assert.rejects(upload, /job canceled/);
});

Deno.test("uploadFile() rejects a non-http URL and a missing file clearly", async () => {
  await using file = await tempFile(10);
  await assert.rejects(
    uploadFile(file.path, "ftp://example.com/x", { contentType: "video/mp4", retry: quick() }),
    /upload URL must be http\(s\), got ftp:/,
  );
  await assert.rejects(
    uploadFile("/nonexistent/take.mp4", "http://127.0.0.1:9/x", {
      contentType: "video/mp4",
      retry: quick(),
    }),
    Deno.errors.NotFound,
  );
});

/** Reads one HTTP/1.1 request with a Content-Length body and returns the body. */
async function _readRequest(conn: Deno.Conn): Promise<Uint8Array> {
  let data = new Uint8Array(0);
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("connection closed before the body ended");
    const next = new Uint8Array(data.length + n);
    next.set(data);
    next.set(buffer.subarray(0, n), data.length);
    data = next;
    const text = new TextDecoder().decode(data.subarray(0, Math.min(data.length, 4096)));
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) continue;
    const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1]);
    if (data.length >= end + 4 + length) return data.subarray(end + 4, end + 4 + length);
  }
}
