/**
 * Ids of nodes, edges, cuts and clips: chosen by clients (UUIDs or similar short tokens). Its own
 * file so graph.ts and cut.ts (which the graph holds) can both use it without importing each other.
 */
import { z } from "zod";

export const graphIdSchema = z.string().regex(
  /^[A-Za-z0-9_-]{1,64}$/,
  "ids are 1-64 letters, digits, _ or -",
);
