/**
 * The asset library (characters, styles, locations, workflows; a workflow's file and mapping
 * have their own routes, routes/workflow_assets.ts): HTTP in front of services/assets.ts, where
 * every change becomes a new immutable version.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { ASSET_TYPES } from "../../db/schema/mod.ts";
import {
  ASSET_IMAGE_MAX_BYTES,
  ASSET_IMAGE_SIZE_MESSAGE,
  ASSET_IMAGE_TYPE_MESSAGE,
  ASSET_IMAGE_TYPES,
  ASSET_IMAGES_MAX,
} from "../../protocol/assets.ts";
import { boundedJsonObject } from "../../protocol/bounded_json.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { ApiError } from "../errors.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { checkImageKeys, imageUrls, presignAssetImage } from "../services/asset_images.ts";
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
  /** Keys the asset holds, or uploads to its folder (services/asset_images.ts checks them). */
  referenceImageKeys: z.array(z.string().min(1).max(500)).max(ASSET_IMAGES_MAX),
};
const createSchema = z.object({
  type: z.enum(ASSET_TYPES).refine(
    (type) => type !== "workflow",
    "workflow assets are uploaded with their file: POST …/assets/workflows",
  ).refine(
    (type) => type !== "model-config",
    "model config assets are checked when uploaded: POST …/assets/model-configs",
  ),
  name: fields.name,
  description: fields.description.default(""),
  params: fields.params.default({}),
  // Images go to the asset's own folder, which exists once the asset does.
  referenceImageKeys: z.array(z.string()).max(
    0,
    "add reference images once the asset exists: POST …/assets/:assetId/images",
  ).default([]),
}).strict();
const imageUploadSchema = z.object({
  contentType: z.enum(ASSET_IMAGE_TYPES, { message: ASSET_IMAGE_TYPE_MESSAGE }),
  bytes: z.number().int().min(1, "the image is empty").max(
    ASSET_IMAGE_MAX_BYTES,
    ASSET_IMAGE_SIZE_MESSAGE,
  ),
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

/** Share-link guests get URLs that expire sooner. */
const audienceOf = (c: Context<AppEnv>) =>
  c.get("principal")?.kind === "guest" ? "guest" as const : "member" as const;

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
    const deps = c.get("deps");
    const { projectId, assetId } = named(c);
    const asset = await loadAsset(deps, projectId, assetId);
    const referenceImages = await imageUrls(deps, asset, asset.referenceImageKeys, audienceOf(c));
    return c.json({ asset, referenceImages });
  })
  .post(
    "/:id/assets/:assetId/images",
    requireRole("editor"),
    assetPath,
    ...jsonBody(imageUploadSchema),
    async (c) => {
      const deps = c.get("deps");
      const { projectId, assetId } = named(c);
      const asset = await findAsset(deps, projectId, assetId);
      const upload = await presignAssetImage(
        deps,
        { ...asset, projectId },
        c.req.valid("json").contentType,
      );
      return c.json(upload, 201);
    },
  )
  .patch(
    "/:id/assets/:assetId",
    requireRole("editor"),
    assetPath,
    ...jsonBody(updateSchema),
    async (c) => {
      const deps = c.get("deps");
      const { baseVersion, ...changes } = c.req.valid("json");
      if (changes.referenceImageKeys || changes.params) {
        const { projectId, assetId } = named(c);
        const asset = await loadAsset(deps, projectId, assetId);
        if (changes.params && (asset.type === "workflow" || asset.type === "model-config")) {
          const message = asset.type === "workflow"
            ? "a workflow's file and mapping change with PUT …/assets/:assetId/workflow"
            : "a model config changes with PUT …/assets/:assetId/model-config";
          throw new ApiError(422, "invalid_body", `params: ${message}`, [{
            path: "params",
            message,
          }]);
        }
        if (changes.referenceImageKeys) {
          await checkImageKeys(deps, asset, changes.referenceImageKeys);
        }
      }
      return c.json({ asset: await editAsset(deps, edit(c), changes, baseVersion) });
    },
  )
  .delete("/:id/assets/:assetId", requireRole("editor"), assetPath, async (c) => {
    await deleteAsset(c.get("deps"), edit(c));
    return c.body(null, 204);
  })
  .get("/:id/assets/:assetId/versions", requireRole("reviewer"), assetPath, async (c) => {
    const deps = c.get("deps");
    const { projectId, assetId } = named(c);
    const { asset, versions, unreadable } = await listVersions(deps, projectId, assetId);
    const ref = { ...asset, projectId };
    const withImages = await Promise.all(versions.map(async (version) => ({
      ...version,
      referenceImages: await imageUrls(deps, ref, version.referenceImageKeys, audienceOf(c)),
    })));
    return c.json({ versions: withImages, unreadable });
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
