/**
 * Model config assets (services/model_config_assets.ts): upload a Docker model config to the
 * project's library, checked with the agents' own rules; change it (a new version). Reading,
 * renaming, versions, rollback and delete are the library's own routes.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { createModelConfigAsset, updateModelConfigAsset } from "../services/model_config_assets.ts";

/** The config as JSON (an object; its fields are checked by the service, naming the field). */
const configField = z.record(z.string(), z.unknown(), {
  message: 'the model config, a JSON object (gpu-agent/README.md, "Docker models")',
});

const createSchema = z.object({
  /** Defaults to the config's title. */
  name: z.string().trim().min(1).max(200).optional(),
  /** Defaults to the config's description. */
  description: z.string().max(10_000).optional(),
  config: configField,
}).strict();

const updateSchema = z.object({
  config: configField,
  /** Optimistic concurrency: the version the editor started from. */
  baseVersion: z.number().int().min(1).optional(),
}).strict();

/** `:modelConfigId`: a model config asset's id (any asset's, the library's routes say `:assetId`). */
const modelConfigPath = pathParams(z.object({ id: idSchema, modelConfigId: idSchema }));

export const modelConfigAssetRoutes = new Hono<AppEnv>()
  .post(
    "/:id/assets/model-configs",
    requireRole("editor"),
    ...jsonBody(createSchema),
    async (c) => {
      const asset = await createModelConfigAsset(
        c.get("deps"),
        c.get("access").projectId,
        currentUser(c).id,
        c.req.valid("json"),
      );
      return c.json({ asset }, 201);
    },
  )
  .put(
    "/:id/assets/:modelConfigId/model-config",
    requireRole("editor"),
    modelConfigPath,
    ...jsonBody(updateSchema),
    async (c) => {
      const { config, baseVersion } = c.req.valid("json");
      const edit = {
        projectId: c.get("access").projectId,
        assetId: c.req.valid("param").modelConfigId,
        authorId: currentUser(c).id,
      };
      const asset = await updateModelConfigAsset(c.get("deps"), edit, config, baseVersion);
      return c.json({ asset });
    },
  );
