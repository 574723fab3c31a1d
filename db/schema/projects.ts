/**
 * Projects, who belongs to them, the invitations that may make someone a member, and the links
 * that let outside reviewers watch.
 */
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";

export const projects = sqliteTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  ownerId: text("owner_id").notNull().references(() => users.id),
  /** The graph revision number that is current; 0 before the first revision. */
  currentRevision: integer("current_revision").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** Soft delete: a deleted project is invisible everywhere but kept for recovery. */
  deletedAt: integer("deleted_at"),
});

export const projectMembers = sqliteTable("project_members", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: text("role", { enum: ["owner", "editor", "reviewer"] }).notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.projectId, t.userId] }),
  index("project_members_user_idx").on(t.userId),
]);

export const shareLinks = sqliteTable("share_links", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  label: text("label").notNull(),
  createdBy: text("created_by").notNull().references(() => users.id),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
  revokedAt: integer("revoked_at"),
}, (t) => [index("share_links_project_idx").on(t.projectId)]);

/**
 * An owner's invitation of an email address to a project with a role. Whoever signs in with an
 * account of that email (now or after registering) sees it and accepts or declines it; only then
 * are they a member. One pending invitation per address and project: inviting again replaces the
 * role and the expiry. A row is deleted when it is accepted, declined or revoked. No secret is
 * kept: acceptance is authorised by the signed-in account's email, not by a token.
 */
export const projectInvites = sqliteTable("project_invites", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  /** Lower-cased, as `users.email`. */
  email: text("email").notNull(),
  role: text("role", { enum: ["owner", "editor", "reviewer"] }).notNull(),
  invitedBy: text("invited_by").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
}, (t) => [
  uniqueIndex("project_invites_project_email_idx").on(t.projectId, t.email),
  index("project_invites_email_idx").on(t.email),
]);
