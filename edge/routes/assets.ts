/**
 * The asset library (characters, styles, locations). Every change writes a new immutable
 * version; rollback copies an old version forward as the newest, so history is never rewritten.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { InStatement } from "@libsql/client";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { ASSET_TYPES, assets, assetVersions, users } from "../../db/schema/mod.ts";
import {
  ASSET_IMAGE_MAX_BYTES,
  ASSET_IMAGE_SIZE_MESSAGE,
  ASSET_IMAGE_TYPE_MESSAGE,
  ASSET_IMAGE_TYPES,
  ASSET_IMAGES_MAX,
} from "../../protocol/assets.ts";
import { boundedJsonObject, jsonBoundsProblem } from "../../protocol/bounded_json.ts";
import type { AppEnv } from "../context.ts";
import { ApiError, conflict, notFound } from "../errors.ts";
import { idSchema, newId } from "../lib/ids.ts";
import { jsonText } from "../lib/json_text.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { activityStatement, recordActivity } from "../services/activity.ts";
import { checkImageKeys, imageUrls, presignAssetImage } from "../services/asset_images.ts";
import { currentGraph } from "../services/graph_store.ts";

const fields = {
  name: z.string().trim().min(1, "name is required").max(200),
  description: z.string().max(10_000),
  params: boundedJsonObject(),
  /** Keys the asset holds, or uploads to its folder (services/asset_images.ts checks them). */
  referenceImageKeys: z.array(z.string().min(1).max(500)).max(ASSET_IMAGES_MAX),
};
const createSchema = z.object({
  type: z.enum(ASSET_TYPES),
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
const assetPath = z.object({ id: idSchema, assetId: idSchema });

type Deps = AppEnv["Variables"]["deps"];

/** Share-link guests get URLs that expire sooner. */
const audienceOf = (c: Context<AppEnv>) =>
  c.get("principal")?.kind === "guest" ? "guest" as const : "member" as const;

/** Tries of an edit without a base version before its caller hears of the conflict. */
const BLIND_EDIT_ATTEMPTS = 5;

/** An asset as the API shows it, built in SQL (see lib/json_text.ts). */
const ASSET_JSON = `json_object('id', id, 'projectId', project_id, 'type', type, 'name', name,
  'description', description, 'params', json(params),
  'referenceImageKeys', json(reference_image_keys), 'version', version,
  'createdBy', created_by, 'createdAt', created_at, 'updatedBy', updated_by,
  'updatedAt', updated_at)`;

/**
 * Whether SQLite can read a row's JSON columns: it refuses text that is malformed or nested
 * deeper than 1,000 levels (as some was, stored before params were bounded). Such a row is
 * reported on its own instead of failing the statement that reads it with others.
 */
const READABLE = "json_valid(params) and json_valid(reference_image_keys)";

/** Every asset edit starts here: one hand-written statement, one JSON column. */
const LOAD_SQL = `select iif(${READABLE}, ${ASSET_JSON}, null) as asset, name from assets
  where id = ? and project_id = ? and deleted_at is null limit 1`;

async function loadAsset(deps: Deps, projectId: string, assetId: string) {
  const result = await deps.db.$client.execute({ sql: LOAD_SQL, args: [assetId, projectId] });
  const row = result.rows[0];
  if (!row) throw notFound("asset");
  if (typeof row.asset !== "string") {
    throw conflict(
      "unreadable_asset",
      `the stored params of asset "${row.name}" cannot be read (malformed, or nested deeper than ` +
        "1,000 levels); delete the asset",
    );
  }
  return { ...JSON.parse(row.asset), deletedAt: null } as typeof assets.$inferSelect;
}

/** An asset's identity without its JSON columns: enough to delete one that cannot be read. */
async function findAsset(deps: Deps, projectId: string, assetId: string) {
  const [asset] = await deps.db.select({ id: assets.id, type: assets.type, name: assets.name })
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.projectId, projectId), isNull(assets.deletedAt)))
    .limit(1);
  if (!asset) throw notFound("asset");
  return asset;
}

/** A version's stored JSON, or why it cannot be restored (unreadable, or over today's bounds). */
function storedVersionFields(row: { params: string; referenceImageKeys: string }) {
  const parsed = {
    params: parseStored(row.params),
    referenceImageKeys: parseStored(row.referenceImageKeys),
  };
  const problem = parsed.params === undefined || parsed.referenceImageKeys === undefined
    ? "cannot be read (malformed JSON)"
    : jsonBoundsProblem(parsed.params);
  return problem ? { problem } : {
    params: parsed.params as Record<string, unknown>,
    referenceImageKeys: parsed.referenceImageKeys as string[],
  };
}

function parseStored(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type VersionFields = Pick<
  typeof assets.$inferSelect,
  "name" | "description" | "params" | "referenceImageKeys"
>;

/** A version row, written only if the statement before it in the batch changed a row. */
function versionStatement(
  assetId: string,
  version: number,
  fields: VersionFields,
  authorId: string,
  now: number,
): InStatement {
  return {
    sql: `insert into asset_versions (asset_id, version, name, description, params,
        reference_image_keys, author_id, created_at)
      select ?, ?, ?, ?, ?, ?, ?, ? where changes() > 0`,
    args: [
      assetId,
      version,
      fields.name,
      fields.description,
      JSON.stringify(fields.params),
      JSON.stringify(fields.referenceImageKeys),
      authorId,
      now,
    ],
  };
}

/**
 * Writes the asset's next version, moves the asset row to it and logs it, in one transaction
 * of hand-written statements (asset edits are the library's hot write).
 */
async function writeVersion(
  deps: Deps,
  current: typeof assets.$inferSelect,
  next: VersionFields,
  authorId: string,
  activity: { action: string; subject: (version: number) => string },
) {
  const now = deps.now();
  const version = current.version + 1;
  // The row moves only from the version this edit started from; the version row and the log
  // line follow only if it did.
  const result = await deps.db.$client.batch([
    {
      sql: `update assets set name = ?, description = ?, params = ?, reference_image_keys = ?,
          version = ?, updated_at = ?, updated_by = ?
        where id = ? and version = ?`,
      args: [
        next.name,
        next.description,
        JSON.stringify(next.params),
        JSON.stringify(next.referenceImageKeys),
        version,
        now,
        authorId,
        current.id,
        current.version,
      ],
    },
    versionStatement(current.id, version, next, authorId, now),
    activityStatement(deps, {
      projectId: current.projectId,
      actorId: authorId,
      action: activity.action,
      subject: activity.subject(version),
    }, { onlyIfChanged: true }),
  ], "write").catch((error) => {
    // Two edits raced for the same next version: the loser is told to reload, nothing is lost.
    if (String(error).includes("UNIQUE constraint failed")) {
      throw conflict("stale_version", "someone else changed this asset just now; reload and retry");
    }
    throw error;
  });
  if (result[0]!.rowsAffected === 0) {
    throw conflict("stale_version", "someone else changed this asset just now; reload and retry");
  }
  return publicAsset({ ...current, ...next, version, updatedAt: now, updatedBy: authorId });
}

function publicAsset(asset: typeof assets.$inferSelect) {
  const { deletedAt: _d, ...rest } = asset;
  return rest;
}

/**
 * The library panel reads this on every project open: JSON built by the database. Rows whose
 * JSON cannot be read are listed apart under `unreadable`, so one cannot fail the list.
 */
const listSql = (byType: boolean) => `
  select json_object(
    'assets', json_group_array(${ASSET_JSON} order by type, name) filter (where readable),
    'unreadable', json_group_array(json_object('id', id, 'type', type, 'name', name)
      order by type, name) filter (where not readable)) as body
  from (select *, ${READABLE} as readable from assets
    where project_id = ? and deleted_at is null${byType ? " and type = ?" : ""})
  limit 1`;

export const assetRoutes = new Hono<AppEnv>()
  .get(
    "/:id/assets",
    requireRole("reviewer"),
    queryParams(z.object({ type: z.enum(ASSET_TYPES).optional() })),
    async (c) => {
      const type = c.req.valid("query").type;
      const result = await c.get("deps").db.$client.execute({
        sql: listSql(type !== undefined),
        args: type ? [c.get("access").projectId, type] : [c.get("access").projectId],
      });
      return jsonText(c, String(result.rows[0]!.body));
    },
  )
  .post("/:id/assets", requireRole("editor"), ...jsonBody(createSchema), async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    const body = c.req.valid("json");
    const now = deps.now();
    const asset = {
      id: newId(),
      projectId: c.get("access").projectId,
      ...body,
      version: 1,
      createdBy: user.id,
      createdAt: now,
      updatedBy: user.id,
      updatedAt: now,
    };
    const { type: _t, ...versionFields } = body;
    // The asset, its first version and the log line commit together.
    await deps.db.$client.batch([
      {
        sql: `insert into assets (id, project_id, type, name, description, params,
            reference_image_keys, version, created_by, created_at, updated_by, updated_at)
          values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        args: [
          asset.id,
          asset.projectId,
          asset.type,
          asset.name,
          asset.description,
          JSON.stringify(asset.params),
          JSON.stringify(asset.referenceImageKeys),
          user.id,
          now,
          user.id,
          now,
        ],
      },
      versionStatement(asset.id, 1, versionFields, user.id, now),
      activityStatement(deps, {
        projectId: asset.projectId,
        actorId: user.id,
        action: "asset.create",
        subject: `${asset.type} ${asset.name}`,
      }),
    ], "write");
    return c.json({ asset }, 201);
  })
  .get("/:id/assets/:assetId", requireRole("reviewer"), pathParams(assetPath), async (c) => {
    const deps = c.get("deps");
    const asset = await loadAsset(deps, c.get("access").projectId, c.req.valid("param").assetId);
    const referenceImages = await imageUrls(deps, asset, asset.referenceImageKeys, audienceOf(c));
    return c.json({ asset: publicAsset(asset), referenceImages });
  })
  .post(
    "/:id/assets/:assetId/images",
    requireRole("editor"),
    pathParams(assetPath),
    ...jsonBody(imageUploadSchema),
    async (c) => {
      const deps = c.get("deps");
      const asset = await findAsset(deps, c.get("access").projectId, c.req.valid("param").assetId);
      const upload = await presignAssetImage(
        deps,
        { ...asset, projectId: c.get("access").projectId },
        c.req.valid("json").contentType,
      );
      return c.json(upload, 201);
    },
  )
  .patch(
    "/:id/assets/:assetId",
    requireRole("editor"),
    pathParams(assetPath),
    ...jsonBody(updateSchema),
    async (c) => {
      const deps = c.get("deps");
      const user = currentUser(c);
      const { baseVersion, ...changes } = c.req.valid("json");
      // An edit without a base version means "apply my change to whatever is there": when
      // another edit lands between our read and our write, it is applied again on top.
      for (let attempt = 1;; attempt++) {
        const current = await loadAsset(
          deps,
          c.get("access").projectId,
          c.req.valid("param").assetId,
        );
        if (baseVersion !== undefined && baseVersion !== current.version) {
          throw conflict(
            "stale_version",
            `the asset is at version ${current.version}; reload and retry`,
          );
        }
        const name = changes.name ?? current.name;
        if (changes.referenceImageKeys) {
          await checkImageKeys(deps, current, changes.referenceImageKeys);
        }
        try {
          const updated = await writeVersion(
            deps,
            current,
            {
              name,
              description: changes.description ?? current.description,
              params: changes.params ?? current.params,
              referenceImageKeys: changes.referenceImageKeys ?? current.referenceImageKeys,
            },
            user.id,
            { action: "asset.update", subject: (v) => `${name} v${v}` },
          );
          return c.json({ asset: updated });
        } catch (error) {
          const raced = error instanceof ApiError && error.code === "stale_version";
          if (!raced || baseVersion !== undefined || attempt >= BLIND_EDIT_ATTEMPTS) throw error;
        }
      }
    },
  )
  .delete("/:id/assets/:assetId", requireRole("editor"), pathParams(assetPath), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    // Read without its JSON: an asset whose params cannot be read can still be deleted.
    const asset = await findAsset(deps, projectId, c.req.valid("param").assetId);
    await deps.db.update(assets).set({ deletedAt: deps.now() }).where(eq(assets.id, asset.id));
    await recordActivity(deps, {
      projectId,
      actorId: currentUser(c).id,
      action: "asset.delete",
      subject: `${asset.type} ${asset.name}`,
    });
    return c.body(null, 204);
  })
  .get(
    "/:id/assets/:assetId/versions",
    requireRole("reviewer"),
    pathParams(assetPath),
    async (c) => {
      const deps = c.get("deps");
      const asset = await findAsset(deps, c.get("access").projectId, c.req.valid("param").assetId);
      const rows = await deps.db
        .select({
          version: assetVersions.version,
          name: assetVersions.name,
          description: assetVersions.description,
          // As text: a version that cannot be parsed is reported, not a failed list.
          params: sql<string>`${assetVersions.params}`,
          referenceImageKeys: sql<string>`${assetVersions.referenceImageKeys}`,
          authorId: assetVersions.authorId,
          authorName: users.name,
          createdAt: assetVersions.createdAt,
        })
        .from(assetVersions)
        .innerJoin(users, eq(users.id, assetVersions.authorId))
        .where(eq(assetVersions.assetId, asset.id))
        .orderBy(desc(assetVersions.version));
      // A version is listed as it could be restored; one that could not is named apart.
      const versions = [];
      const unreadable = [];
      const ref = { ...asset, projectId: c.get("access").projectId };
      for (const row of rows) {
        const stored = storedVersionFields(row);
        if ("problem" in stored) {
          const { version, name, createdAt } = row;
          unreadable.push({ version, name, createdAt, reason: `params ${stored.problem}` });
        } else {
          const referenceImages = await imageUrls(
            deps,
            ref,
            stored.referenceImageKeys,
            audienceOf(c),
          );
          versions.push({ ...row, ...stored, referenceImages });
        }
      }
      return c.json({ versions, unreadable });
    },
  )
  .post(
    "/:id/assets/:assetId/rollback",
    requireRole("editor"),
    pathParams(assetPath),
    ...jsonBody(z.object({ version: z.number().int().min(1) }).strict()),
    async (c) => {
      const deps = c.get("deps");
      const user = currentUser(c);
      const current = await loadAsset(
        deps,
        c.get("access").projectId,
        c.req.valid("param").assetId,
      );
      const wanted = c.req.valid("json").version;
      const [old] = await deps.db.select({
        name: assetVersions.name,
        description: assetVersions.description,
        params: sql<string>`${assetVersions.params}`,
        referenceImageKeys: sql<string>`${assetVersions.referenceImageKeys}`,
      }).from(assetVersions)
        .where(and(eq(assetVersions.assetId, current.id), eq(assetVersions.version, wanted)))
        .limit(1);
      if (!old) throw notFound(`version ${wanted}`);
      const stored = storedVersionFields(old);
      if ("problem" in stored) {
        throw conflict(
          "unreadable_version",
          `version ${wanted} cannot be restored: its params ${stored.problem}`,
        );
      }
      const { name, description } = old;
      const { params, referenceImageKeys } = stored;
      const updated = await writeVersion(
        deps,
        current,
        {
          name,
          description,
          params,
          referenceImageKeys,
        },
        user.id,
        { action: "asset.rollback", subject: () => `${name} to v${wanted}` },
      );
      return c.json({ asset: updated });
    },
  )
  .get("/:id/assets/:assetId/usage", requireRole("reviewer"), pathParams(assetPath), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const asset = await findAsset(deps, projectId, c.req.valid("param").assetId);
    const { graph } = await currentGraph(deps, projectId);
    const nodes = Object.values(graph.nodes)
      .filter((node) => node.params["assetId"] === asset.id)
      .map((node) => ({ nodeId: node.id, type: node.type, title: node.title }));
    return c.json({ nodes });
  });
