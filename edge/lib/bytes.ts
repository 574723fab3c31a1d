/** Small byte helpers that behave the same on Deno and Workers (with `nodejs_compat`). */
import { createHash } from "node:crypto";

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares without an early exit, so timing does not reveal how much of a secret matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** A URL-safe random token with 256 bits of entropy. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Tokens are looked up by their SHA-256, so the database never holds a usable secret. Every
 * authenticated request hashes one, so this is node:crypto's synchronous hash: Web Crypto's
 * `digest` costs ten times as much here, most of it the round trip of an async call.
 */
export function sha256Hex(text: string): Promise<string> {
  return Promise.resolve(sha256HexSync(text));
}

/** The same digest, for code that must stay synchronous (a value derived inside a row). */
export function sha256HexSync(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
