/**
 * Characters, styles, locations and the users' own ComfyUI workflows, with every edit kept as a
 * version for rollback. A workflow asset's file lives in object storage (its `params.file` names
 * it); its params hold what it implements and the mapping (protocol/workflows/binding.ts). A
 * model config asset's params hold its Docker model config (protocol/docker_models/), as uploaded.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { projects } from "./projects.ts";

export const ASSET_TYPES = ["character", "style", "location", "workflow", "model-config"] as const;

/** The asset row always mirrors its newest version; versions are immutable. */
export const assets = sqliteTable("assets", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  type: text("type", { enum: ASSET_TYPES }).notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  /** Regeneration parameters (JSON): everything needed to make this asset again. */
  params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  referenceImageKeys: text("reference_image_keys", { mode: "json" }).$type<string[]>().notNull(),
  version: integer("version").notNull(),
  createdBy: text("created_by").notNull().references(() => users.id),
  createdAt: integer("created_at").notNull(),
  updatedBy: text("updated_by").notNull().references(() => users.id),
  updatedAt: integer("updated_at").notNull(),
  deletedAt: integer("deleted_at"),
}, (t) => [index("assets_project_idx").on(t.projectId, t.type)]);

export const assetVersions = sqliteTable("asset_versions", {
  assetId: text("asset_id").notNull().references(() => assets.id, { onDelete: "cascade" }),
  version: integer("version").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  referenceImageKeys: text("reference_image_keys", { mode: "json" }).$type<string[]>().notNull(),
  authorId: text("author_id").notNull().references(() => users.id),
  createdAt: integer("created_at").notNull(),
}, (t) => [primaryKey({ columns: [t.assetId, t.version] })]);
