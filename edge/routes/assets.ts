/**
 * The asset library (characters, styles, locations): HTTP in front of services/assets.ts, where
 * every change becomes a new immutable version.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { ASSET_TYPES } from "../../db/schema/mod.ts";
import { boundedJsonObject } from "../../protocol/bounded_json.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import {
  type AssetEdit,
  createAsset,
  deleteAsset,
  editAsset,
  findAsset,
  listAssetsJson,
  listVersions,
  loadAsset,
  rollbackAsset,
} from "../services/assets.ts";
import { currentGraph } from "../services/graph_store.ts";

const fields = {
  name: z.string().trim().min(1, "name is required").max(200),
  description: z.string().max(10_000),
  params: boundedJsonObject(),
  referenceImageKeys: z.array(z.string().min(1).max(500)).max(32),
};
const createSchema = z.object({
  type: z.enum(ASSET_TYPES),
  name: fields.name,
  description: fields.description.default(""),
  params: fields.params.default({}),
  referenceImageKeys: fields.referenceImageKeys.default([]),
}).strict();
const updateSchema = z.object({
  name: fields.name.optional(),
  description: fields.description.optional(),
  params: fields.params.optional(),
  referenceImageKeys: fields.referenceImageKeys.optional(),
  /** Optimistic concurrency: the version the editor started from. */
  baseVersion: z.number().int().min(1).optional(),
}).strict();
const assetPath = pathParams(z.object({ id: idSchema, assetId: idSchema }));

/** The asset a request names, in the project it was authorized for. */
function named(c: Context<AppEnv>) {
  return { projectId: c.get("access").projectId, assetId: c.req.param("assetId") ?? "" };
}

/** The same, changed by the signed-in user. */
function edit(c: Context<AppEnv>): AssetEdit {
  return { ...named(c), authorId: currentUser(c).id };
}

export const assetRoutes = new Hono<AppEnv>()
  .get(
    "/:id/assets",
    requireRole("reviewer"),
    queryParams(z.object({ type: z.enum(ASSET_TYPES).optional() })),
    async (c) => {
      const { projectId } = c.get("access");
      return jsonText(c, await listAssetsJson(c.get("deps"), projectId, c.req.valid("query").type));
    },
  )
  .post("/:id/assets", requireRole("editor"), ...jsonBody(createSchema), async (c) => {
    const { projectId, authorId } = edit(c);
    const asset = await createAsset(c.get("deps"), projectId, authorId, c.req.valid("json"));
    return c.json({ asset }, 201);
  })
  .get("/:id/assets/:assetId", requireRole("reviewer"), assetPath, async (c) => {
    const { projectId, assetId } = named(c);
    return c.json({ asset: await loadAsset(c.get("deps"), projectId, assetId) });
  })
  .patch(
    "/:id/assets/:assetId",
    requireRole("editor"),
    assetPath,
    ...jsonBody(updateSchema),
    async (c) => {
      const { baseVersion, ...changes } = c.req.valid("json");
      return c.json({ asset: await editAsset(c.get("deps"), edit(c), changes, baseVersion) });
    },
  )
  .delete("/:id/assets/:assetId", requireRole("editor"), assetPath, async (c) => {
    await deleteAsset(c.get("deps"), edit(c));
    return c.body(null, 204);
  })
  .get("/:id/assets/:assetId/versions", requireRole("reviewer"), assetPath, async (c) => {
    const { projectId, assetId } = named(c);
    return c.json(await listVersions(c.get("deps"), projectId, assetId));
  })
  .post(
    "/:id/assets/:assetId/rollback",
    requireRole("editor"),
    assetPath,
    ...jsonBody(z.object({ version: z.number().int().min(1) }).strict()),
    async (c) => {
      const wanted = c.req.valid("json").version;
      return c.json({ asset: await rollbackAsset(c.get("deps"), edit(c), wanted) });
    },
  )
  .get("/:id/assets/:assetId/usage", requireRole("reviewer"), assetPath, async (c) => {
    const deps = c.get("deps");
    const { projectId, assetId } = named(c);
    const asset = await findAsset(deps, projectId, assetId);
    const { graph } = await currentGraph(deps, projectId);
    const nodes = Object.values(graph.nodes)
      .filter((node) => node.params["assetId"] === asset.id)
      .map((node) => ({ nodeId: node.id, type: node.type, title: node.title }));
    return c.json({ nodes });
  });
