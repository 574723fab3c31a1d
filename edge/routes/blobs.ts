/**
 * The local object store over HTTP: `PUT|GET|HEAD /api/blobs/<key>?exp=&sig=` with URLs the
 * edge signed (services/storage/signed_urls.ts). Downloads honour single `Range` requests, so
 * browsers can seek in videos. Mounted ahead of the JSON body limit: uploads are media files,
 * bounded by MAX_BLOB_BYTES instead. With an S3 store these URLs are never handed out.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import {
  contentDispositionForKey,
  contentTypeForKey,
  isValidKey,
} from "../services/storage/blob_store.ts";
import type { LocalBlobStore } from "../services/storage/local_store.ts";

const PREFIX = "/api/blobs/";

function localStoreAndKey(c: Context<AppEnv>): { store: LocalBlobStore; key: string } {
  const store = c.get("deps").storage;
  const key = c.req.path.startsWith(PREFIX) ? c.req.path.slice(PREFIX.length) : "";
  if (store.kind !== "local" || !isValidKey(key)) throw notFound("object");
  return { store: store as LocalBlobStore, key };
}

async function checkSignature(
  c: Context<AppEnv>,
  store: LocalBlobStore,
  method: "GET" | "PUT",
  key: string,
) {
  const ok = await store.verify(method, key, {
    exp: c.req.query("exp"),
    sig: c.req.query("sig"),
    ct: c.req.query("ct"),
  });
  if (!ok) {
    throw new ApiError(
      403,
      "bad_signature",
      "this link is invalid or has expired: ask for a new one",
    );
  }
}

/** Parses one `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null to serve the whole object. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | null {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === "" && match[2] === "")) return null; // absent, or multi-range: send it all
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

/** A stream of `length` bytes of the file from its current position; closes the file after. */
function fileSlice(file: Deno.FsFile, length: number): ReadableStream<Uint8Array> {
  let left = length;
  return new ReadableStream({
    async pull(controller) {
      const buf = new Uint8Array(Math.min(64 * 1024, left));
      const n = left > 0 ? await file.read(buf) : null;
      if (n === null || n === 0) {
        file.close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  });
}

async function serve(c: Context<AppEnv>, withBody: boolean) {
  const { store, key } = localStoreAndKey(c);
  await checkSignature(c, store, "GET", key);
  const object = await store.open(key);
  if (!object) throw notFound("object");
  const { file, size } = object;
  const headers: Record<string, string> = {
    "content-type": contentTypeForKey(key),
    "content-disposition": contentDispositionForKey(key),
    "accept-ranges": "bytes",
    "cache-control": "private, max-age=3600, immutable",
  };
  const range = parseRange(c.req.header("range"), size);
  if (range === "unsatisfiable") {
    file.close();
    return c.body(null, 416, { ...headers, "content-range": `bytes */${size}` });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  headers["content-length"] = String(length);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  if (!withBody || length === 0) {
    file.close();
    return c.body(null, range ? 206 : 200, headers);
  }
  await file.seek(start, Deno.SeekMode.Start);
  return c.body(fileSlice(file, length), range ? 206 : 200, headers);
}

export const blobRoutes = new Hono<AppEnv>()
  // Hono answers HEAD with the GET handler and drops the body: open no stream for it.
  .get("/*", (c) => serve(c, c.req.method !== "HEAD"))
  .put("/*", async (c) => {
    const deps = c.get("deps");
    const { store, key } = localStoreAndKey(c);
    await checkSignature(c, store, "PUT", key);
    if ((c.req.header("content-type") ?? "") !== c.req.query("ct")) {
      throw new ApiError(
        400,
        "wrong_content_type",
        `send Content-Type: ${c.req.query("ct")}, as signed`,
      );
    }
    const max = deps.config.MAX_BLOB_BYTES;
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > max) {
      throw new ApiError(413, "body_too_large", `objects are limited to ${max} bytes`);
    }
    const result = await store.write(
      key,
      c.req.raw.body ?? new ReadableStream({ start: (s) => s.close() }),
      max,
    );
    switch (result) {
      case "created":
        return c.body(null, 201);
      case "same":
        return c.body(null, 200);
      case "too_large":
        throw new ApiError(413, "body_too_large", `objects are limited to ${max} bytes`);
      case "conflict":
        throw new ApiError(
          409,
          "immutable",
          "this object already exists with other content; objects never change",
        );
    }
  });
