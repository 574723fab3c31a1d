/** People and their sign-in sessions. Secrets (passwords, session tokens) are stored only hashed. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Stored lower-cased so sign-in is case-insensitive. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * A session is either a user's (userId set) or a guest reviewer's who came through a share link
 * (shareLinkId set). Only the SHA-256 of the token is kept.
 */
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
  shareLinkId: text("share_link_id"),
  guestName: text("guest_name"),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  revokedAt: integer("revoked_at"),
}, (t) => [index("sessions_user_idx").on(t.userId)]);
