/** Ids are random UUIDs; paths are checked against this before any lookup. */
import { z } from "zod";

export const idSchema = z.uuid({ message: "not a valid id" });

export function newId(): string {
  return crypto.randomUUID();
}
