/**
 * Workflow assets (services/workflow_assets.ts): upload a ComfyUI workflow exported with
 * "Save (API)" with the node type and tier it implements; read what the studio found in it and
 * the mapping; change the file, the mapping, the node type or the tier (each a new version).
 * The rest of an asset's life (name, versions, rollback, delete) is the library's own routes.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { WORKFLOW_MAX_BYTES } from "../../protocol/workflows/mod.ts";
import { tierSchema } from "../../protocol/tiers.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { loadAsset } from "../services/assets.ts";
import {
  createWorkflowAsset,
  updateWorkflowAsset,
  workflowAnalysis,
  workflowFieldsSchema,
} from "../services/workflow_assets.ts";

/** Requests that carry a workflow file get a larger body limit than the API's (app.ts). */
export const WORKFLOW_UPLOAD_PATH =
  /^\/api\/projects\/[^/]+\/assets\/(?:workflows|[^/]+\/workflow)$/;
/** The file travels as a JSON string: escaping can make it up to half as large again, or more. */
export const WORKFLOW_MAX_BODY_BYTES = 3 * WORKFLOW_MAX_BYTES;

const createSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  description: z.string().max(10_000).default(""),
  nodeType: z.string().min(1).max(64),
  tier: tierSchema,
  ...workflowFieldsSchema,
}).strict();

const updateSchema = z.object({
  nodeType: z.string().min(1).max(64).optional(),
  tier: tierSchema.optional(),
  ...workflowFieldsSchema,
  workflow: workflowFieldsSchema.workflow.optional(),
  /** Optimistic concurrency: the version the editor started from. */
  baseVersion: z.number().int().min(1).optional(),
}).strict().refine(
  (b) =>
    b.workflow !== undefined || b.binding !== undefined || b.nodeType !== undefined ||
    b.tier !== undefined,
  "send a workflow, a binding, a nodeType or a tier to change",
);

/** `:workflowId`: a workflow asset's id (any asset's, the library's routes say `:assetId`). */
const workflowPath = pathParams(z.object({ id: idSchema, workflowId: idSchema }));

/** Share-link guests get a download URL that expires sooner. */
const ttl = (c: Context<AppEnv>) => {
  const config = c.get("deps").config;
  return c.get("principal")?.kind === "guest"
    ? config.GUEST_DOWNLOAD_URL_TTL_S
    : config.DOWNLOAD_URL_TTL_S;
};

export const workflowAssetRoutes = new Hono<AppEnv>()
  .post("/:id/assets/workflows", requireRole("editor"), ...jsonBody(createSchema), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const asset = await createWorkflowAsset(
      deps,
      projectId,
      currentUser(c).id,
      c.req.valid("json"),
    );
    return c.json({ asset, analysis: await workflowAnalysis(deps, asset, ttl(c)) }, 201);
  })
  .get("/:id/assets/:workflowId/workflow", requireRole("reviewer"), workflowPath, async (c) => {
    const deps = c.get("deps");
    const { workflowId } = c.req.valid("param");
    const asset = await loadAsset(deps, c.get("access").projectId, workflowId);
    return c.json({ asset, analysis: await workflowAnalysis(deps, asset, ttl(c)) });
  })
  .put(
    "/:id/assets/:workflowId/workflow",
    requireRole("editor"),
    workflowPath,
    ...jsonBody(updateSchema),
    async (c) => {
      const deps = c.get("deps");
      const { baseVersion, ...fields } = c.req.valid("json");
      const edit = {
        projectId: c.get("access").projectId,
        assetId: c.req.valid("param").workflowId,
        authorId: currentUser(c).id,
      };
      const asset = await updateWorkflowAsset(deps, edit, fields, baseVersion);
      return c.json({ asset, analysis: await workflowAnalysis(deps, asset, ttl(c)) });
    },
  );
