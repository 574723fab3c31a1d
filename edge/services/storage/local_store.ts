/**
 * The embedded object store: files under one folder, uploaded and downloaded through the edge's
 * `/api/blobs/*` route with signed, expiring URLs (routes/blobs.ts). Objects are immutable: an
 * upload lands under a temporary name and is hard-linked into place, which fails if the key
 * already exists, so a finished object is never replaced (a retried upload of the same bytes
 * is accepted as done).
 */
import type { BlobStore } from "./blob_store.ts";
import type { BlobMethod, BlobSigner } from "./signed_urls.ts";

export interface LocalBlobStore extends BlobStore {
  readonly kind: "local";
  /** Checks a signed request: method, key, expiry and signature. */
  verify(
    method: BlobMethod,
    key: string,
    query: { exp?: string; sig?: string; ct?: string },
  ): Promise<boolean>;
  /** Stores a body under `key`; see `WriteResult`. Stops reading past `maxBytes`. */
  write(key: string, body: ReadableStream<Uint8Array>, maxBytes: number): Promise<WriteResult>;
  /** Opens an object for reading, or null when there is none. */
  open(key: string): Promise<{ file: Deno.FsFile; size: number } | null>;
}

/** `created`: stored now; `same`: already there with identical bytes; `conflict`: different. */
export type WriteResult = "created" | "same" | "conflict" | "too_large";

export interface LocalStoreOptions {
  dir: string;
  /** The edge's public origin; URLs handed to agents and browsers are absolute. */
  publicUrl: string;
  signer: BlobSigner;
  now: () => number;
}

export function localBlobStore(options: LocalStoreOptions): LocalBlobStore {
  const base = options.publicUrl.replace(/\/$/, "");
  const pathOf = (key: string) => `${options.dir}/${key}`;
  const urlFor = (key: string, exp: number, sig: string, contentType?: string) => {
    const query = new URLSearchParams({ exp: String(exp), sig });
    if (contentType) query.set("ct", contentType);
    return `${base}/api/blobs/${key}?${query}`;
  };

  return {
    kind: "local",
    browserOrigin: new URL(options.publicUrl).origin,
    async presignPut(key, { contentType, expiresInS }) {
      const exp = options.now() + expiresInS * 1000;
      const sig = await options.signer.sign("PUT", key, exp, contentType);
      return {
        url: urlFor(key, exp, sig, contentType),
        headers: { "content-type": contentType },
        expiresAt: exp,
      };
    },
    async presignGet(key, { expiresInS }) {
      const exp = options.now() + expiresInS * 1000;
      return urlFor(key, exp, await options.signer.sign("GET", key, exp));
    },
    async head(key) {
      try {
        const info = await Deno.stat(pathOf(key));
        return info.isFile ? { bytes: info.size } : null;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
    async verify(method, key, query) {
      const exp = Number(query.exp);
      if (!query.sig || !Number.isSafeInteger(exp) || exp <= options.now()) return false;
      return await options.signer.verify(
        method,
        key,
        exp,
        query.sig,
        method === "PUT" ? query.ct ?? "" : undefined,
      );
    },
    async write(key, body, maxBytes) {
      const target = pathOf(key);
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      const part = `${target}.part-${crypto.randomUUID()}`;
      try {
        if (!await copyLimited(body, part, maxBytes)) return "too_large";
        try {
          await Deno.link(part, target);
          return "created";
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
          return await sameContent(part, target) ? "same" : "conflict";
        }
      } finally {
        await Deno.remove(part).catch(() => {});
      }
    },
    async put(key, bytes) {
      const result = await this.write(key, ReadableStream.from([bytes]), bytes.byteLength);
      if (result === "conflict") throw new Error(`${key} is stored with other bytes`);
    },
    async get(key, maxBytes) {
      const opened = await this.open(key);
      if (!opened) return null;
      using file = opened.file;
      if (opened.size > maxBytes) throw new Error(`${key} is over ${maxBytes} bytes`);
      return new Uint8Array(await new Response(file.readable).arrayBuffer());
    },
    async open(key) {
      try {
        const file = await Deno.open(pathOf(key), { read: true });
        const info = await file.stat();
        if (!info.isFile) {
          file.close();
          return null;
        }
        return { file, size: info.size };
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
  };
}

/** Writes the stream to `path`; false (and nothing kept) when it exceeds `maxBytes`. */
async function copyLimited(
  body: ReadableStream<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<boolean> {
  const file = await Deno.open(path, { write: true, createNew: true });
  let written = 0;
  try {
    for await (const chunk of body) {
      written += chunk.byteLength;
      if (written > maxBytes) return false;
      let offset = 0;
      while (offset < chunk.byteLength) offset += await file.write(chunk.subarray(offset));
    }
    await file.sync();
    return true;
  } finally {
    file.close();
  }
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [infoA, infoB] = await Promise.all([Deno.stat(a), Deno.stat(b)]);
  if (infoA.size !== infoB.size) return false;
  const [fileA, fileB] = await Promise.all([Deno.open(a), Deno.open(b)]);
  try {
    const bufA = new Uint8Array(64 * 1024);
    const bufB = new Uint8Array(64 * 1024);
    while (true) {
      const readA = await readFull(fileA, bufA);
      const readB = await readFull(fileB, bufB);
      if (readA !== readB) return false;
      if (readA === 0) return true;
      for (let i = 0; i < readA; i++) if (bufA[i] !== bufB[i]) return false;
    }
  } finally {
    fileA.close();
    fileB.close();
  }
}

async function readFull(file: Deno.FsFile, buf: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buf.byteLength) {
    const n = await file.read(buf.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return filled;
}
