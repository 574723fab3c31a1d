/**
 * The S3 store against s3rver on loopback (path-style, us-east-1): presigned uploads and
 * downloads with Range, expiry, CORS for browsers, and a whole job run with takes in the bucket.
 * s3rver checks expiry but not signatures, so "a URL works for its key only" is tested on the
 * local store (edge/routes/blobs_test.ts); on S3 the key is part of what SigV4 signs.
 */
import assert from "node:assert/strict";
import S3rver from "s3rver";
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
} from "@aws-sdk/client-s3";
import { browserCorsRule, s3BlobStore } from "../../edge/services/storage/s3_store.ts";
import { createTestApp } from "../../edge/testing.ts";
import { getBlob } from "./fake_agent.ts";
import { shotProject } from "./shot_job.ts";

const BUCKET = "takes";
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The store as the edge builds it for this s3rver. */
function storeAt(endpoint: string, now: () => number) {
  return s3BlobStore({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    now,
  });
}

async function withS3(run: (endpoint: string, now: { offset: number }) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "md-s3rver-" });
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = storeAt(endpoint, Date.now);
  try {
    await admin.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await admin.client.send(
      new PutBucketCorsCommand({
        Bucket: BUCKET,
        CORSConfiguration: { CORSRules: [browserCorsRule("http://localhost")] },
      }),
    );
    await run(endpoint, { offset: 0 });
  } finally {
    admin.client.destroy();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("S3: an object uploaded as a page downloads as a file; the CSP names the bucket", async () => {
  await withS3(async (endpoint) => {
    const store = storeAt(endpoint, Date.now);
    try {
      assert.equal(store.browserOrigin, endpoint);
      const key = "projects/p1/renders/SC01/SHOT-010/v01/SHOT-010_v01_take01.html";
      const put = await store.presignPut(key, { contentType: "text/html", expiresInS: 60 });
      const res = await fetch(put.url, {
        method: "PUT",
        headers: put.headers,
        body: "<script>alert(1)</script>",
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
      const get = await fetch(await store.presignGet(key, { expiresInS: 60 }));
      await get.body?.cancel();
      assert.equal(get.status, 200);
      assert.equal(get.headers.get("content-type"), "application/octet-stream");
      assert.equal(
        get.headers.get("content-disposition"),
        'attachment; filename="SHOT-010_v01_take01.html"',
      );
    } finally {
      store.client.destroy();
    }
  });
});

Deno.test("S3: presigned PUT and ranged GET work, browsers may read takes, URLs expire", async () => {
  await withS3(async (endpoint) => {
    let offset = 0;
    const store = storeAt(endpoint, () => Date.now() + offset);
    try {
      const key = "projects/p1/renders/SC01/SHOT-010/v01/SHOT-010_v01_take01.mp4";
      const put = await store.presignPut(key, { contentType: "video/mp4", expiresInS: 60 });
      assert.ok(
        new URL(put.url).pathname.endsWith(`/${BUCKET}/${key}`),
        "path-style URL for exactly this key",
      );
      assert.match(put.url, /X-Amz-SignedHeaders=content-type%3Bhost/);
      const res = await fetch(put.url, { method: "PUT", headers: put.headers, body: "0123456789" });
      assert.equal(res.status, 200);
      await res.body?.cancel();
      assert.deepEqual(await store.head(key), { bytes: 10 });
      assert.equal(await store.head(key.replace("take01", "take09")), null);

      const get = await store.presignGet(key, { expiresInS: 60 });
      const part = await fetch(get, {
        headers: { range: "bytes=2-4", origin: "http://localhost" },
      });
      assert.equal(part.status, 206);
      assert.equal(
        part.headers.get("access-control-allow-origin"),
        "http://localhost",
        "browsers may read it",
      );
      assert.equal(await part.text(), "234");

      // The studio may PUT a reference image to its presigned URL (the browser asks first).
      const image = await store.presignPut("projects/p1/assets/character/a1/images/i.png", {
        contentType: "image/png",
        expiresInS: 60,
      });
      const preflight = (origin: string) =>
        fetch(image.url, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "PUT",
            "access-control-request-headers": "content-type",
          },
        });
      const studio = await preflight("http://localhost");
      await studio.body?.cancel();
      assert.equal(studio.status, 200);
      assert.match(studio.headers.get("access-control-allow-methods") ?? "", /\bPUT\b/);
      assert.equal(studio.headers.get("access-control-allow-headers"), "content-type");
      const stranger = await preflight("https://elsewhere.example");
      await stranger.body?.cancel();
      assert.equal(stranger.status, 403, "only the studio's origin");
      offset = -120_000; // signed two minutes ago, for one minute: expired now
      const old = await store.presignGet(key, { expiresInS: 60 });
      const expired = await fetch(old);
      assert.equal(expired.status, 403);
      await expired.body?.cancel();
      const cors = await store.client.send(new GetBucketCorsCommand({ Bucket: BUCKET }));
      assert.deepEqual(cors.CORSRules?.[0]?.AllowedMethods, ["GET", "HEAD", "PUT"]);
    } finally {
      store.client.destroy();
    }
  });
});

Deno.test("S3: a job's output is uploaded to the bucket and recorded only once it is there", async () => {
  await withS3(async (endpoint) => {
    const t = await createTestApp({
      BLOB_STORE: "s3",
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
    try {
      const { projectId, agent, generate } = await shotProject(t);
      await generate();
      const job = await agent.claim();
      const reserved = await agent.call("POST", `/jobs/${job!.id}/outputs`, {
        ext: "mp4",
        contentType: "video/mp4",
      });
      const early = await agent.complete(job!.id, [{
        takeId: reserved.body.takeId,
        bytes: 5,
        sha256: "0".repeat(64),
        contentType: "video/mp4",
      }]);
      assert.equal(early.status, 422, "not in the bucket yet");
      assert.equal(early.body.error.code, "output_mismatch");
      const [take] = await agent.finish(job!, "a video in S3");
      assert.ok(
        take!.url.startsWith(
          `${endpoint}/${BUCKET}/projects/${projectId}/renders/SC01/SHOT-010/v01/`,
        ),
      );
      assert.equal(await (await getBlob(t, take!.url)).text(), "a video in S3");
    } finally {
      (t.deps.storage as unknown as { client: { destroy(): void } }).client.destroy();
      await t.close();
    }
  });
});

Deno.test("S3: the edge stores and reads back a small object of its own (a workflow file)", async () => {
  await withS3(async (endpoint) => {
    const store = storeAt(endpoint, Date.now);
    try {
      const bytes = new TextEncoder().encode('{"1": {"class_type": "Note", "inputs": {}}}');
      assert.equal(await store.get("projects/p/assets/workflow/a/files/x.json", 1024), null);
      await store.put("projects/p/assets/workflow/a/files/x.json", bytes, "application/json");
      await store.put("projects/p/assets/workflow/a/files/x.json", bytes, "application/json");
      assert.deepEqual(await store.get("projects/p/assets/workflow/a/files/x.json", 1024), bytes);
      await assert.rejects(
        () => store.get("projects/p/assets/workflow/a/files/x.json", 8),
        /over 8/,
      );
    } finally {
      store.client.destroy();
    }
  });
});
