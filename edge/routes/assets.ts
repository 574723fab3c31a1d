/**
 * The asset library (characters, styles, locations). Every change writes a new immutable
 * version; rollback copies an old version forward as the newest, so history is never rewritten.
 */
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { ASSET_TYPES, assets, assetVersions, users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import { idSchema, newId } from "../lib/ids.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { currentGraph } from "../services/graph_store.ts";

const fields = {
  name: z.string().trim().min(1, "name is required").max(200),
  description: z.string().max(10_000),
  params: z.record(z.string(), z.unknown()).refine(
    (p) => JSON.stringify(p).length <= 64 * 1024,
    "params must be under 64 KB of JSON",
  ),
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
const assetPath = z.object({ id: idSchema, assetId: idSchema });

type Deps = AppEnv["Variables"]["deps"];

async function loadAsset(deps: Deps, projectId: string, assetId: string) {
  const [asset] = await deps.db.select().from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.projectId, projectId), isNull(assets.deletedAt)))
    .limit(1);
  if (!asset) throw notFound("asset");
  return asset;
}

/** Writes the asset's next version and moves the asset row to it, in one transaction. */
async function writeVersion(
  deps: Deps,
  current: typeof assets.$inferSelect,
  next: Pick<typeof assets.$inferSelect, "name" | "description" | "params" | "referenceImageKeys">,
  authorId: string,
) {
  const now = deps.now();
  const version = current.version + 1;
  const result = await deps.db.batch([
    deps.db.insert(assetVersions).values({ assetId: current.id, version, ...next, authorId, createdAt: now }),
    deps.db.update(assets).set({ ...next, version, updatedAt: now, updatedBy: authorId })
      .where(and(eq(assets.id, current.id), eq(assets.version, current.version)))
      .returning(),
  ]).catch((error) => {
    // Two edits raced for the same next version: the loser is told to reload, nothing is lost.
    if (String(error).includes("UNIQUE constraint failed")) {
      throw conflict("stale_version", "someone else changed this asset just now; reload and retry");
    }
    throw error;
  });
  return result[1][0]!;
}

function publicAsset(asset: typeof assets.$inferSelect) {
  const { deletedAt: _d, ...rest } = asset;
  return rest;
}

export const assetRoutes = new Hono<AppEnv>()
  .get(
    "/:id/assets",
    requireRole("reviewer"),
    queryParams(z.object({ type: z.enum(ASSET_TYPES).optional() })),
    async (c) => {
      const type = c.req.valid("query").type;
      const rows = await c.var.deps.db.select().from(assets).where(and(
        eq(assets.projectId, c.var.access.projectId),
        isNull(assets.deletedAt),
        type ? eq(assets.type, type) : undefined,
      )).orderBy(asc(assets.type), asc(assets.name));
      return c.json({ assets: rows.map(publicAsset) });
    },
  )
  .post("/:id/assets", requireRole("editor"), ...jsonBody(createSchema), async (c) => {
    const deps = c.var.deps;
    const user = currentUser(c);
    const body = c.req.valid("json");
    const now = deps.now();
    const asset = {
      id: newId(),
      projectId: c.var.access.projectId,
      ...body,
      version: 1,
      createdBy: user.id,
      createdAt: now,
      updatedBy: user.id,
      updatedAt: now,
    };
    const { type: _t, ...versionFields } = body;
    await deps.db.batch([
      deps.db.insert(assets).values(asset),
      deps.db.insert(assetVersions).values({
        assetId: asset.id,
        version: 1,
        ...versionFields,
        authorId: user.id,
        createdAt: now,
      }),
    ]);
    await recordActivity(deps, {
      projectId: asset.projectId,
      actorId: user.id,
      action: "asset.create",
      subject: `${asset.type} ${asset.name}`,
    });
    return c.json({ asset }, 201);
  })
  .get("/:id/assets/:assetId", requireRole("reviewer"), pathParams(assetPath), async (c) => {
    const asset = await loadAsset(c.var.deps, c.var.access.projectId, c.req.valid("param").assetId);
    return c.json({ asset: publicAsset(asset) });
  })
  .patch(
    "/:id/assets/:assetId",
    requireRole("editor"),
    pathParams(assetPath),
    ...jsonBody(updateSchema),
    async (c) => {
      const deps = c.var.deps;
      const user = currentUser(c);
      const current = await loadAsset(deps, c.var.access.projectId, c.req.valid("param").assetId);
      const { baseVersion, ...changes } = c.req.valid("json");
      if (baseVersion !== undefined && baseVersion !== current.version) {
        throw conflict("stale_version", `the asset is at version ${current.version}; reload and retry`);
      }
      const updated = await writeVersion(deps, current, {
        name: changes.name ?? current.name,
        description: changes.description ?? current.description,
        params: changes.params ?? current.params,
        referenceImageKeys: changes.referenceImageKeys ?? current.referenceImageKeys,
      }, user.id);
      await recordActivity(deps, {
        projectId: current.projectId,
        actorId: user.id,
        action: "asset.update",
        subject: `${updated.name} v${updated.version}`,
      });
      return c.json({ asset: publicAsset(updated) });
    },
  )
  .delete("/:id/assets/:assetId", requireRole("editor"), pathParams(assetPath), async (c) => {
    const deps = c.var.deps;
    const asset = await loadAsset(deps, c.var.access.projectId, c.req.valid("param").assetId);
    await deps.db.update(assets).set({ deletedAt: deps.now() }).where(eq(assets.id, asset.id));
    await recordActivity(deps, {
      projectId: asset.projectId,
      actorId: currentUser(c).id,
      action: "asset.delete",
      subject: `${asset.type} ${asset.name}`,
    });
    return c.body(null, 204);
  })
  .get("/:id/assets/:assetId/versions", requireRole("reviewer"), pathParams(assetPath), async (c) => {
    const deps = c.var.deps;
    const asset = await loadAsset(deps, c.var.access.projectId, c.req.valid("param").assetId);
    const versions = await deps.db
      .select({
        version: assetVersions.version,
        name: assetVersions.name,
        description: assetVersions.description,
        params: assetVersions.params,
        referenceImageKeys: assetVersions.referenceImageKeys,
        authorId: assetVersions.authorId,
        authorName: users.name,
        createdAt: assetVersions.createdAt,
      })
      .from(assetVersions)
      .innerJoin(users, eq(users.id, assetVersions.authorId))
      .where(eq(assetVersions.assetId, asset.id))
      .orderBy(desc(assetVersions.version));
    return c.json({ versions });
  })
  .post(
    "/:id/assets/:assetId/rollback",
    requireRole("editor"),
    pathParams(assetPath),
    ...jsonBody(z.object({ version: z.number().int().min(1) }).strict()),
    async (c) => {
      const deps = c.var.deps;
      const user = currentUser(c);
      const current = await loadAsset(deps, c.var.access.projectId, c.req.valid("param").assetId);
      const wanted = c.req.valid("json").version;
      const [old] = await deps.db.select().from(assetVersions)
        .where(and(eq(assetVersions.assetId, current.id), eq(assetVersions.version, wanted)))
        .limit(1);
      if (!old) throw notFound(`version ${wanted}`);
      const { name, description, params, referenceImageKeys } = old;
      const updated = await writeVersion(deps, current, {
        name,
        description,
        params,
        referenceImageKeys,
      }, user.id);
      await recordActivity(deps, {
        projectId: current.projectId,
        actorId: user.id,
        action: "asset.rollback",
        subject: `${updated.name} to v${wanted}`,
      });
      return c.json({ asset: publicAsset(updated) });
    },
  )
  .get("/:id/assets/:assetId/usage", requireRole("reviewer"), pathParams(assetPath), async (c) => {
    const deps = c.var.deps;
    const asset = await loadAsset(deps, c.var.access.projectId, c.req.valid("param").assetId);
    const { graph } = await currentGraph(deps, asset.projectId);
    const nodes = Object.values(graph.nodes)
      .filter((node) => node.params["assetId"] === asset.id)
      .map((node) => ({ nodeId: node.id, type: node.type, title: node.title }));
    return c.json({ nodes });
  });
