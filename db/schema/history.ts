/** Graph revisions (the film graph's history) and the project activity log. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Graph } from "../../protocol/graph.ts";
import { projects } from "./projects.ts";

export const graphRevisions = sqliteTable("graph_revisions", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  revision: integer("revision").notNull(),
  graph: text("graph", { mode: "json" }).$type<Graph>().notNull(),
  message: text("message").notNull(),
  /** Everyone whose edits went into this revision; the first is shown as the author. */
  authorIds: text("author_ids", { mode: "json" }).$type<string[]>().notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [primaryKey({ columns: [t.projectId, t.revision] })]);

export const activity = sqliteTable("activity", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  /** A user id; null for the system (room flushes, agents). */
  actorId: text("actor_id"),
  action: text("action").notNull(),
  subject: text("subject").notNull(),
  at: integer("at").notNull(),
}, (t) => [index("activity_project_idx").on(t.projectId, t.at)]);
