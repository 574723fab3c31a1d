/**
 * Ids are UUIDv7: 48 bits of milliseconds, then 74 random bits. Unguessable like v4, but new
 * rows land at the end of every primary-key index instead of on a random page, so a commit
 * writes a few pages rather than one per index touched. Paths are checked against idSchema
 * before any lookup (it accepts the v4 ids of older rows too).
 */
import { z } from "zod";

export const idSchema = z.uuid({ message: "not a valid id" });

/**
 * @example
 * ```ts
 * newId(); // "019ad3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
 * ```
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const ms = Date.now();
  // Big-endian milliseconds; division, not shifts: JavaScript shifts are 32-bit.
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let hex = "";
  for (const b of bytes) hex += HEX[b];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
