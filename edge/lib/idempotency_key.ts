/**
 * The `Idempotency-Key` header of a request that queues work (Generate, Render cut): a retry
 * with the same key gets the job the first call made instead of a second one.
 */
import { z } from "zod";
import { ApiError } from "../errors.ts";

const idempotencyKey = z.string().min(1).max(200).regex(
  /^[\x21-\x7e]+$/,
  "printable ASCII without spaces",
);

/** The header's value, or undefined when absent; 400 naming the header when malformed. */
export function idempotencyKeyOf(c: { req: { header(name: string): string | undefined } }) {
  const key = c.req.header("idempotency-key");
  if (key !== undefined && !idempotencyKey.safeParse(key).success) {
    throw new ApiError(400, "invalid_header", "Idempotency-Key: 1-200 printable ASCII characters");
  }
  return key;
}
