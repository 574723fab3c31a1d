/**
 * Attempt counts for rate limits (sign-in, registration, link acceptance, enrollment). They live
 * in the database, not in a thread's memory, so every serving thread and every Workers isolate
 * sees the same counts. Keys are SHA-256 hashes: no email or address is stored in the clear.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const rateLimits = sqliteTable("rate_limits", {
  /** SHA-256 hex of `<limit name>:<subject>`, e.g. of `login.account:ada@example.com`. */
  key: text("key").primaryKey(),
  /** Attempts counted since `windowStartedAt`. */
  attempts: integer("attempts").notNull(),
  windowStartedAt: integer("window_started_at").notNull(),
  /** Until when (ms since the epoch) further attempts are refused; 0 when none are. */
  blockedUntil: integer("blocked_until").notNull(),
}, (t) => [index("rate_limits_window_idx").on(t.windowStartedAt)]);
