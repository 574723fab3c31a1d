/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto (works on Deno and Workers), at OWASP's
 * recommended 600,000 iterations with a 16-byte random salt per user. The iteration count is
 * stored with the hash so it can be raised later without breaking old passwords.
 */
import { z } from "zod";
import { constantTimeEqual, fromBase64, toBase64 } from "../lib/bytes.ts";
import { COMMON_PASSWORDS } from "./common_passwords.ts";

export const PBKDF2_ITERATIONS = 600_000;
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const actual = await derive(password, fromBase64(salt), Number(iterations));
  return constantTimeEqual(actual, fromBase64(hash));
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so a login for an unknown email is not faster. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("not a real password");
  await verifyPassword(password, await dummyHash);
  return false;
}

/**
 * What a new password must be: 8 to 200 characters, not only spaces, no control characters
 * (they cannot be typed reliably and hide in copy-paste), and not one of the most common ones.
 */
export const newPasswordSchema = z.string()
  .min(8, "use at least 8 characters")
  .max(200, "use at most 200 characters")
  .refine((p) => p.trim().length > 0, "a password of only spaces is not allowed")
  .refine((p) => !/\p{Cc}/u.test(p), "a password cannot contain control characters")
  .refine(
    (p) => !COMMON_PASSWORDS.has(p.toLowerCase()),
    "this password is one of the most common ones: choose another",
  );
