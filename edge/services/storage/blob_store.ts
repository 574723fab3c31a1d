/**
 * Object storage for takes behind one interface: a local folder served by the edge
 * (`local_store.ts`, the embedded default) or an S3-compatible bucket (`s3_store.ts`). Clients
 * never see keys as paths: they get presigned URLs that expire.
 *
 * @example
 * ```ts
 * const put = await store.presignPut(key, { contentType: "video/mp4", expiresInS: 900 });
 * await fetch(put.url, { method: "PUT", headers: put.headers, body });
 * await store.head(key); // { bytes } once uploaded
 * ```
 */

/** Where and how to upload one object. */
export interface PresignedUpload {
  url: string;
  /** Headers the PUT must carry exactly (the content type is part of the signature). */
  headers: Record<string, string>;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface BlobStore {
  readonly kind: "local" | "s3";
  /** The origin browsers load objects from (the studio's CSP allows it for images and media). */
  readonly browserOrigin: string;
  presignPut(
    key: string,
    options: { contentType: string; expiresInS: number },
  ): Promise<PresignedUpload>;
  /** A GET URL that honours `Range` (video seeking) until it expires. */
  presignGet(key: string, options: { expiresInS: number }): Promise<string>;
  /** The stored object's size, or null when there is none. */
  head(key: string): Promise<{ bytes: number } | null>;
  /**
   * Stores a small object the edge itself holds (a workflow asset's file). Keys name immutable
   * objects: storing the same bytes again is harmless.
   */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** An object's bytes, or null when there is none; throws past `maxBytes` (read into memory). */
  get(key: string, maxBytes: number): Promise<Uint8Array | null>;
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`, never `.` or `..`:
 * whatever reaches a store can be neither a path traversal nor an odd S3 key.
 */
export function isValidKey(key: string): boolean {
  if (key.length === 0 || key.length > 1024) return false;
  return key.split("/").every((segment) => SEGMENT.test(segment) && !/^\.+$/.test(segment));
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  flac: "audio/flac",
  json: "application/json",
};

/** The content type served for a key, from its extension. */
export function contentTypeForKey(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/**
 * How a browser treats an object: images, video and sound show in the page; anything else (an
 * agent may upload any file) is a download, so it can never render as a page on our origin.
 */
export function contentDispositionForKey(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1); // keys allow only [A-Za-z0-9._-]
  const inline = /^(image|video|audio)\//.test(contentTypeForKey(key));
  return `${inline ? "inline" : "attachment"}; filename="${name}"`;
}
