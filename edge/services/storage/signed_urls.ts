/**
 * HMAC-SHA256 signatures for the local store's blob URLs: `/api/blobs/<key>?exp=<ms>&sig=<hex>`.
 * The signature covers the method, the key, the expiry and (for uploads) the content type, so a
 * URL can be used neither after it expires, nor for another key, nor to write where it may only
 * read.
 */
import type { Config } from "../../config.ts";
import { constantTimeEqual, toHex } from "../../lib/bytes.ts";

const encoder = new TextEncoder();

export type BlobMethod = "GET" | "PUT";

export interface BlobSigner {
  sign(method: BlobMethod, key: string, exp: number, contentType?: string): Promise<string>;
  verify(
    method: BlobMethod,
    key: string,
    exp: number,
    sig: string,
    contentType?: string,
  ): Promise<boolean>;
}

/**
 * The signing secret: BLOB_SECRET, or one derived from ROOM_SECRET so a development edge needs
 * no extra setting and its URLs still survive restarts. Derived, not reused: a leaked blob URL
 * signature says nothing about room tickets.
 */
export async function blobSigningSecret(
  config: Pick<Config, "BLOB_SECRET" | "ROOM_SECRET">,
): Promise<string> {
  if (config.BLOB_SECRET) return config.BLOB_SECRET;
  const key = await hmacKey(config.ROOM_SECRET);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode("movie-director blob urls v1"));
  return toHex(new Uint8Array(mac));
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
}

/** `secret` may be a promise (a derived secret), so stores can be built synchronously. */
export function blobSigner(secret: string | Promise<string>): BlobSigner {
  const key = Promise.resolve(secret).then(hmacKey);
  const sign = async (method: BlobMethod, blobKey: string, exp: number, contentType = "") => {
    const text = `${method}\n${blobKey}\n${exp}\n${contentType}`;
    return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(text))));
  };
  return {
    sign,
    async verify(method, blobKey, exp, sig, contentType) {
      const expected = await sign(method, blobKey, exp, contentType);
      return constantTimeEqual(encoder.encode(expected), encoder.encode(sig));
    },
  };
}
