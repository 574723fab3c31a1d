/**
 * Review (protocol/review.ts): comments on takes and nodes (threads, frame-accurate times,
 * shapes on the frame), each comment's earlier bodies, decisions on takes, and each person's
 * "read up to" marker for "what's new". A person is `user:<id>` or `guest:<sessionId>` (a
 * share-link guest), so guests get the same threads, decisions and markers as members.
 */
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
} from "drizzle-orm/sqlite-core";
import type { CommentShape, Decision } from "../../protocol/review.ts";
import { takes } from "./jobs.ts";
import { projects } from "./projects.ts";

export const comments = sqliteTable("comments", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  /** The thread's first comment (deleting it deletes the replies); null for the first itself. */
  parentId: text("parent_id").references((): AnySQLiteColumn => comments.id, {
    onDelete: "cascade",
  }),
  /** `take`, `node` or `cut` (a time on a cut of the project's room document). */
  targetKind: text("target_kind", { enum: ["take", "node", "cut"] }).notNull(),
  /** The node the comment is about: the take's node for a take; empty for a cut. */
  nodeId: text("node_id").notNull(),
  takeId: text("take_id").references(() => takes.id, { onDelete: "cascade" }),
  /** The cut's id in the graph (cuts live in the room's document, not in a table). */
  cutId: text("cut_id"),
  /** Frame of a video take or cut, and the rate it was counted at (the timecode is derived). */
  frame: integer("frame"),
  fps: integer("fps"),
  shape: text("shape", { mode: "json" }).$type<CommentShape>(),
  /** `user:<id>` or `guest:<sessionId>`, with the name and role shown, as they were then. */
  authorPerson: text("author_person").notNull(),
  authorName: text("author_name").notNull(),
  authorRole: text("author_role", { enum: ["owner", "editor", "reviewer", "guest"] }).notNull(),
  body: text("body").notNull(),
  /** User ids named with `@Name`. */
  mentions: text("mentions", { mode: "json" }).$type<string[]>().notNull(),
  createdAt: integer("created_at").notNull(),
  editedAt: integer("edited_at"),
  resolvedAt: integer("resolved_at"),
  resolvedBy: text("resolved_by"),
}, (t) => [
  index("comments_take_idx").on(t.projectId, t.takeId, t.createdAt),
  index("comments_node_idx").on(t.projectId, t.nodeId, t.createdAt),
  index("comments_cut_idx").on(t.projectId, t.cutId, t.createdAt),
  // "What's new" counts others' comments since a time from this index alone.
  index("comments_project_time_idx").on(t.projectId, t.createdAt, t.authorPerson),
  index("comments_parent_idx").on(t.parentId),
]);

/** A comment's body before each edit (only its author edits; the history stays). */
export const commentEdits = sqliteTable("comment_edits", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  commentId: text("comment_id").notNull().references(() => comments.id, { onDelete: "cascade" }),
  body: text("body").notNull(),
  /** When this body was replaced. */
  replacedAt: integer("replaced_at").notNull(),
}, (t) => [index("comment_edits_comment_idx").on(t.commentId, t.id)]);

/** Each person's latest decision on a take; deciding again replaces it. */
export const takeDecisions = sqliteTable("take_decisions", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  takeId: text("take_id").notNull().references(() => takes.id, { onDelete: "cascade" }),
  nodeId: text("node_id").notNull(),
  person: text("person").notNull(),
  name: text("name").notNull(),
  role: text("role", { enum: ["owner", "editor", "reviewer", "guest"] }).notNull(),
  decision: text("decision").$type<Decision>().notNull(),
  note: text("note").notNull(),
  at: integer("at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.takeId, t.person] }),
  index("take_decisions_project_time_idx").on(t.projectId, t.at, t.person),
]);

/** Until when a person has read a project's review events ("what's new" lists what follows). */
export const reviewReads = sqliteTable("review_reads", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  person: text("person").notNull(),
  readAt: integer("read_at").notNull(),
}, (t) => [primaryKey({ columns: [t.projectId, t.person] })]);
