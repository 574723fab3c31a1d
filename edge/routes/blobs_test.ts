import assert from "node:assert/strict";
import { createTestApp, type TestApp } from "../testing.ts";
import { parseRange } from "./blobs.ts";

const KEY = "projects/p1/renders/SC01/SHOT-010/v01/SHOT-010_v01_take01.mp4";
const bytes = (text: string) => new TextEncoder().encode(text);

async function put(t: TestApp, key: string, body: string, contentType = "video/mp4") {
  const url = await t.deps.storage.presignPut(key, { contentType, expiresInS: 60 });
  return await t.app.request(url.url, { method: "PUT", headers: url.headers, body: bytes(body) });
}

Deno.test("a signed upload URL stores the object once; the same bytes again are accepted, others refused", async () => {
  const t = await createTestApp();
  try {
    assert.equal((await put(t, KEY, "first")).status, 201);
    assert.deepEqual(await t.deps.storage.head(KEY), { bytes: 5 });
    assert.equal(
      (await put(t, KEY, "first")).status,
      200,
      "a retried upload of the same bytes is done",
    );
    const changed = await put(t, KEY, "other");
    assert.equal(changed.status, 409);
    assert.equal(((await changed.json()) as { error: { code: string } }).error.code, "immutable");
    const get = await t.app.request(await t.deps.storage.presignGet(KEY, { expiresInS: 60 }));
    assert.equal(await get.text(), "first");
  } finally {
    await t.close();
  }
});

Deno.test("signed URLs expire, and work neither for another key nor for another method", async () => {
  const t = await createTestApp();
  try {
    const upload = await t.deps.storage.presignPut(KEY, {
      contentType: "video/mp4",
      expiresInS: 60,
    });
    const otherKey = upload.url.replace("take01", "take02");
    const moved = await t.app.request(otherKey, {
      method: "PUT",
      headers: upload.headers,
      body: bytes("x"),
    });
    assert.equal(moved.status, 403);
    assert.equal(((await moved.json()) as { error: { code: string } }).error.code, "bad_signature");
    const wrongType = await t.app.request(upload.url, {
      method: "PUT",
      headers: { "content-type": "text/html" },
      body: bytes("x"),
    });
    assert.equal(wrongType.status, 400);
    await wrongType.body?.cancel();

    assert.equal((await put(t, KEY, "video")).status, 201);
    const download = await t.deps.storage.presignGet(KEY, { expiresInS: 60 });
    const putWithGetUrl = await t.app.request(download.replace(KEY, `${KEY}2`), {
      method: "PUT",
      body: bytes("x"),
    });
    assert.equal(putWithGetUrl.status, 403);
    await putWithGetUrl.body?.cancel();
    const tampered = await t.app.request(download.replace(/sig=[0-9a-f]/, "sig=z"));
    assert.equal(tampered.status, 403);
    await tampered.body?.cancel();

    t.advance(61_000);
    const late = await t.app.request(download);
    assert.equal(late.status, 403, "expired");
    await late.body?.cancel();
    const lateUpload = await t.app.request(upload.url, {
      method: "PUT",
      headers: upload.headers,
      body: bytes("x"),
    });
    assert.equal(lateUpload.status, 403);
    await lateUpload.body?.cancel();
    assert.equal(
      await t.deps.storage.head(KEY.replace("take01", "take02")),
      null,
      "nothing was written",
    );
  } finally {
    await t.close();
  }
});

Deno.test("downloads honour Range, so videos can seek", async () => {
  const t = await createTestApp();
  try {
    await put(t, KEY, "0123456789");
    const url = await t.deps.storage.presignGet(KEY, { expiresInS: 60 });
    const part = await t.app.request(url, { headers: { range: "bytes=2-5" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 2-5/10");
    assert.equal(part.headers.get("content-type"), "video/mp4");
    assert.equal(await part.text(), "2345");
    const tail = await t.app.request(url, { headers: { range: "bytes=-3" } });
    assert.equal(await tail.text(), "789");
    const open = await t.app.request(url, { headers: { range: "bytes=8-" } });
    assert.equal(await open.text(), "89");
    const beyond = await t.app.request(url, { headers: { range: "bytes=10-" } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), "bytes */10");
    await beyond.body?.cancel();
    const head = await t.app.request(url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "10");
    assert.equal(head.headers.get("accept-ranges"), "bytes");
    await head.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("keys that could escape the blob folder are refused before any signature check", async () => {
  const t = await createTestApp();
  try {
    for (
      const path of [
        "/api/blobs/a/.../b",
        "/api/blobs/a%5C..%5Cb",
        "/api/blobs/a%2F..%2Fb",
        "/api/blobs/a//b",
        "/api/blobs/",
      ]
    ) {
      const res = await t.app.request(`${path}?exp=9999999999999&sig=00`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "not_found");
    }
  } finally {
    await t.close();
  }
});

Deno.test("parseRange reads the three single-range forms and refuses what cannot be served", () => {
  assert.deepEqual(parseRange("bytes=0-0", 5), { start: 0, end: 0 });
  assert.deepEqual(parseRange("bytes=3-100", 5), { start: 3, end: 4 });
  assert.deepEqual(parseRange("bytes=-2", 5), { start: 3, end: 4 });
  assert.equal(parseRange("bytes=5-", 5), "unsatisfiable");
  assert.equal(parseRange("bytes=4-2", 5), "unsatisfiable");
  assert.equal(parseRange("bytes=0-1,3-4", 5), null, "multi-range: the whole object");
  assert.equal(parseRange(undefined, 5), null);
});

Deno.test("an uploaded page downloads as a file; media plays inline; nothing is sniffed", async () => {
  const t = await createTestApp();
  try {
    const page = "projects/p1/renders/SC01/SHOT-010/v01/SHOT-010_v01_take02.html";
    assert.equal((await put(t, page, "<script>alert(1)</script>", "text/html")).status, 201);
    const html = await t.app.request(await t.deps.storage.presignGet(page, { expiresInS: 60 }));
    await html.body?.cancel();
    assert.equal(html.status, 200);
    assert.equal(html.headers.get("content-type"), "application/octet-stream");
    assert.equal(
      html.headers.get("content-disposition"),
      'attachment; filename="SHOT-010_v01_take02.html"',
    );
    assert.equal(html.headers.get("x-content-type-options"), "nosniff");
    assert.match(html.headers.get("content-security-policy") ?? "", /default-src 'self'/);

    assert.equal((await put(t, KEY, "video")).status, 201);
    const video = await t.app.request(await t.deps.storage.presignGet(KEY, { expiresInS: 60 }));
    await video.body?.cancel();
    assert.equal(video.headers.get("content-type"), "video/mp4");
    assert.equal(
      video.headers.get("content-disposition"),
      'inline; filename="SHOT-010_v01_take01.mp4"',
    );
  } finally {
    await t.close();
  }
});

Deno.test("API answers carry nosniff, the referrer policy and no framing", async () => {
  const t = await createTestApp();
  try {
    for (const path of ["/healthz", "/api/auth/me", "/api/nope"]) {
      const res = await t.app.request(path);
      await res.body?.cancel();
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    }
  } finally {
    await t.close();
  }
});

Deno.test("the local store keeps the edge's own objects and reads them back, bounded", async () => {
  const t = await createTestApp();
  try {
    const store = t.deps.storage;
    const bytes = new TextEncoder().encode("{}");
    assert.equal(await store.get("projects/p/assets/workflow/a/files/x.json", 1024), null);
    await store.put("projects/p/assets/workflow/a/files/x.json", bytes, "application/json");
    await store.put("projects/p/assets/workflow/a/files/x.json", bytes, "application/json");
    assert.deepEqual(await store.get("projects/p/assets/workflow/a/files/x.json", 1024), bytes);
    await assert.rejects(() => store.get("projects/p/assets/workflow/a/files/x.json", 1), /over 1/);
    await assert.rejects(
      () => store.put("projects/p/assets/workflow/a/files/x.json", new Uint8Array([1]), "x/y"),
      /other bytes/,
    );
  } finally {
    await t.close();
  }
});
