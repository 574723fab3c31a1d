/**
 * Uploads a file to a presigned URL with one streaming PUT, hashing it on the way.
 *
 * Memory stays flat for multi-GB takes: the file is read in chunks, each chunk is hashed and
 * written, and the next is read only once the socket has taken the last (back-pressure).
 * node:http is used instead of fetch because object stores (S3, R2) refuse a PUT without a
 * Content-Length, and Deno's fetch sends a streamed body chunked, dropping that header.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { HttpError } from "../net/http_error.ts";

export interface PutResult {
  bytes: number;
  /** Lowercase hex sha256 of exactly the bytes sent. */
  sha256: string;
}

export interface PutOptions {
  contentType: string;
  /** Extra headers the presigned URL was signed with. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** A TransformStream that passes chunks through and hashes them; read `digest()` at the end. */
export function hashingStream(): {
  stream: TransformStream<Uint8Array, Uint8Array>;
  digest: () => string;
} {
  const hash = createHash("sha256");
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  });
  return { stream, digest: () => hash.digest("hex") };
}

/** One PUT attempt. Throws HttpError on a non-2xx answer, the socket's error on a network one. */
export async function putFileOnce(
  path: string,
  url: string,
  options: PutOptions,
): Promise<PutResult> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new TypeError(`upload URL must be http(s), got ${target.protocol}`);
  }
  const file = await Deno.open(path, { read: true });
  // From here the file's readable owns it: reading to the end or cancelling closes it.
  const source = file.readable;
  let size: number;
  try {
    size = (await file.stat()).size;
  } catch (error) {
    await source.cancel();
    throw error;
  }
  const { stream, digest } = hashingStream();
  const request = (target.protocol === "https:" ? https : http).request(target, {
    method: "PUT",
    headers: {
      ...options.headers,
      "content-type": options.contentType,
      "content-length": String(size),
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once("response", resolve);
    request.once("error", reject);
  });
  // If the socket fails mid-body, stop reading the file and report the socket's error.
  response.catch(() => {});

  // The server may answer before the body is done (a 403 for an expired signature): stop then.
  // A flag, not a race per chunk: racing against one long-lived promise would attach a reaction
  // (holding that chunk) on every iteration, so memory would grow with the file.
  let answered = false;
  response.then(() => (answered = true), () => (answered = true));
  let sent = 0;
  let finished = false;
  const reader = source.pipeThrough(stream).getReader();
  try {
    for (;;) {
      // End of file first: a store answers as soon as it has Content-Length bytes, which can
      // be before this reader has seen the end of the file it has sent in full.
      const next = await reader.read();
      if (next.done) {
        finished = true;
        break;
      }
      if (answered) break;
      sent += next.value.byteLength;
      if (!request.write(next.value)) await _drainedOrAnswered(request);
      options.onProgress?.(sent, size);
    }
  } catch (error) {
    request.destroy();
    throw error;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
  if (finished && sent !== size) {
    request.destroy();
    throw new Error(`${path} changed size during upload (${size} → ${sent} bytes)`);
  }
  request.end();
  const answer = await response;
  const body = await _readBody(answer);
  if ((answer.statusCode ?? 0) < 200 || (answer.statusCode ?? 0) >= 300) {
    const retryAfter = Number(answer.headers["retry-after"]);
    throw new HttpError(
      answer.statusCode ?? 0,
      `upload: HTTP ${answer.statusCode}${body ? ` (${body.slice(0, 300)})` : ""}`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    );
  }
  if (!finished) {
    // A 2xx before the whole body arrived cannot be trusted to hold the file.
    throw new Error(`upload: server answered ${answer.statusCode} after ${sent} of ${size} bytes`);
  }
  return { bytes: sent, sha256: digest() };
}

/** Resolves when the socket wants more, or when it will never want more (answer or error). */
function _drainedOrAnswered(request: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off("drain", done);
      request.off("response", done);
      request.off("error", done);
      resolve();
    };
    request.once("drain", done);
    request.once("response", done);
    request.once("error", done);
  });
}

async function _readBody(message: http.IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of message) {
    if (text.length < 1000) text += String(chunk);
  }
  return text.trim();
}
