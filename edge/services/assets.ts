/**
 * The asset library's versioned writes and reads. Every change writes a new immutable version and
 * moves the asset to it only from the version the change started from; rollback copies an old
 * version forward as the newest, so history is never rewritten. Rows SQLite cannot read (stored
 * before params were bounded) are reported on their own, never failing a statement for others.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { InStatement } from "@libsql/client";
import { assets, assetVersions, users } from "../../db/schema/mod.ts";
import { jsonBoundsProblem } from "../../protocol/bounded_json.ts";
import type { AppDeps } from "../context.ts";
import { ApiError, conflict, notFound } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { activityStatement, recordActivity } from "./activity.ts";

export type Asset = Omit<typeof assets.$inferSelect, "deletedAt">;
export type VersionFields = Pick<Asset, "name" | "description" | "params" | "referenceImageKeys">;
/** Which asset, in which project, changed by whom. */
export type AssetEdit = { projectId: string; assetId: string; authorId: string };

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
 * deeper than 1,000 levels (as some was, stored before params were bounded).
 */
const READABLE = "json_valid(params) and json_valid(reference_image_keys)";

/** Every asset edit starts here: one hand-written statement, one JSON column. */
const LOAD_SQL = `select iif(${READABLE}, ${ASSET_JSON}, null) as asset, name from assets
  where id = ? and project_id = ? and deleted_at is null limit 1`;

/**
 * The library panel reads this on every project open: JSON built by the database, rows whose
 * JSON cannot be read listed apart under `unreadable`.
 */
const listSql = (byType: boolean) => `
  select json_object(
    'assets', json_group_array(${ASSET_JSON} order by type, name) filter (where readable),
    'unreadable', json_group_array(json_object('id', id, 'type', type, 'name', name)
      order by type, name) filter (where not readable)) as body
  from (select *, ${READABLE} as readable from assets
    where project_id = ? and deleted_at is null${byType ? " and type = ?" : ""})
  limit 1`;

/** `{assets, unreadable}` as JSON text, for the route to send as it is. */
export async function listAssetsJson(deps: AppDeps, projectId: string, type?: string) {
  const result = await deps.db.$client.execute({
    sql: listSql(type !== undefined),
    args: type ? [projectId, type] : [projectId],
  });
  return String(result.rows[0]!.body);
}

/** The project's live assets of one type as they are now (the parts matching reads). */
export async function currentAssetsOfType(
  deps: AppDeps,
  projectId: string,
  type: Asset["type"],
): Promise<Pick<Asset, "id" | "name" | "version" | "params">[]> {
  return await deps.db.select({
    id: assets.id,
    name: assets.name,
    version: assets.version,
    params: assets.params,
  }).from(assets).where(
    and(eq(assets.projectId, projectId), eq(assets.type, type), isNull(assets.deletedAt)),
  );
}

/** A live asset with its JSON; 404 when there is none, 409 when its JSON cannot be read. */
export async function loadAsset(deps: AppDeps, projectId: string, assetId: string) {
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
  return JSON.parse(row.asset) as Asset;
}

/** An asset's identity without its JSON columns: enough to delete one that cannot be read. */
export async function findAsset(deps: AppDeps, projectId: string, assetId: string) {
  const [asset] = await deps.db.select({ id: assets.id, type: assets.type, name: assets.name })
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.projectId, projectId), isNull(assets.deletedAt)))
    .limit(1);
  if (!asset) throw notFound("asset");
  return asset;
}

/**
 * The asset, its first version and the log line, committed together. `id`: chosen by the
 * caller when a file must be stored in the asset's folder first (workflow assets).
 */
export async function createAsset(
  deps: AppDeps,
  projectId: string,
  authorId: string,
  { id, ...fields }: VersionFields & { type: Asset["type"]; id?: string },
): Promise<Asset> {
  const now = deps.now();
  const asset = {
    id: id ?? newId(),
    projectId,
    ...fields,
    version: 1,
    createdBy: authorId,
    createdAt: now,
    updatedBy: authorId,
    updatedAt: now,
  };
  await deps.db.$client.batch([
    {
      sql: `insert into assets (id, project_id, type, name, description, params,
          reference_image_keys, version, created_by, created_at, updated_by, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
      args: [
        asset.id,
        projectId,
        asset.type,
        asset.name,
        asset.description,
        JSON.stringify(asset.params),
        JSON.stringify(asset.referenceImageKeys),
        authorId,
        now,
        authorId,
        now,
      ],
    },
    versionStatement(asset.id, 1, fields, authorId, now),
    activityStatement(deps, {
      projectId,
      actorId: authorId,
      action: "asset.create",
      subject: `${asset.type} ${asset.name}`,
    }),
  ], "write");
  return asset;
}

/** Marks the asset deleted; one whose params cannot be read too (its JSON is not read). */
export async function deleteAsset(deps: AppDeps, edit: AssetEdit): Promise<void> {
  const asset = await findAsset(deps, edit.projectId, edit.assetId);
  await deps.db.update(assets).set({ deletedAt: deps.now() }).where(eq(assets.id, asset.id));
  await recordActivity(deps, {
    projectId: edit.projectId,
    actorId: edit.authorId,
    action: "asset.delete",
    subject: `${asset.type} ${asset.name}`,
  });
}

/**
 * Applies `changes` as the next version. With `baseVersion`, only to that version (else 409
 * `stale_version`); without, "to whatever is there": an edit that lands between our read and
 * our write is built upon, and ours applied again on top.
 */
export async function editAsset(
  deps: AppDeps,
  edit: AssetEdit,
  changes: Partial<VersionFields>,
  baseVersion?: number,
): Promise<Asset> {
  for (let attempt = 1;; attempt++) {
    const current = await loadAsset(deps, edit.projectId, edit.assetId);
    if (baseVersion !== undefined && baseVersion !== current.version) {
      throw conflict(
        "stale_version",
        `the asset is at version ${current.version}; reload and retry`,
      );
    }
    const name = changes.name ?? current.name;
    try {
      return await writeVersion(deps, current, { ...current, ...changes }, edit.authorId, {
        action: "asset.update",
        subject: (v) => `${name} v${v}`,
      });
    } catch (error) {
      const raced = error instanceof ApiError && error.code === "stale_version";
      if (!raced || baseVersion !== undefined || attempt >= BLIND_EDIT_ATTEMPTS) throw error;
    }
  }
}

/** Copies version `wanted` forward as the newest. */
export async function rollbackAsset(deps: AppDeps, edit: AssetEdit, wanted: number) {
  const current = await loadAsset(deps, edit.projectId, edit.assetId);
  const old = await readVersion(deps, current, wanted, "restored");
  if (!old) throw notFound(`version ${wanted}`);
  return await writeVersion(deps, current, old, edit.authorId, {
    action: "asset.rollback",
    subject: () => `${old.name} to v${wanted}`,
  });
}

/**
 * The live asset as it was at `version` (its newest when absent): what a job pinned to that
 * version runs. Else which is missing, for the caller to refuse naming its own parameter: the
 * asset (deleted, or not in this project) or that version of it. 409 as `loadAsset`.
 */
export async function assetToRun(
  deps: AppDeps,
  projectId: string,
  assetId: string,
  version?: number,
): Promise<Asset | { missing: "asset" | "version" }> {
  let current: Asset;
  try {
    current = await loadAsset(deps, projectId, assetId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { missing: "asset" };
    throw error;
  }
  if (version === undefined || version === current.version) return current;
  const old = await readVersion(deps, current, version, "run");
  return old ? { ...current, ...old, version } : { missing: "version" };
}

/** Version `wanted` of `asset`'s history; 409 when its stored JSON cannot be `usedFor`. */
async function readVersion(
  deps: AppDeps,
  asset: Asset,
  wanted: number,
  usedFor: string,
): Promise<VersionFields | undefined> {
  const [old] = await deps.db.select({
    name: assetVersions.name,
    description: assetVersions.description,
    params: sql<string>`${assetVersions.params}`,
    referenceImageKeys: sql<string>`${assetVersions.referenceImageKeys}`,
  }).from(assetVersions)
    .where(and(eq(assetVersions.assetId, asset.id), eq(assetVersions.version, wanted)))
    .limit(1);
  if (!old) return undefined;
  const stored = storedVersionFields(old);
  if ("problem" in stored) {
    throw conflict(
      "unreadable_version",
      `version ${wanted} cannot be ${usedFor}: its params ${stored.problem}`,
    );
  }
  return { name: old.name, description: old.description, ...stored };
}

/** Every version, newest first, as it could be restored; one that could not is named apart. */
export async function listVersions(deps: AppDeps, projectId: string, assetId: string) {
  const asset = await findAsset(deps, projectId, assetId);
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
  const versions = [];
  const unreadable = [];
  for (const row of rows) {
    const stored = storedVersionFields(row);
    if ("problem" in stored) {
      const { version, name, createdAt } = row;
      unreadable.push({ version, name, createdAt, reason: `params ${stored.problem}` });
    } else versions.push({ ...row, ...stored });
  }
  return { asset, versions, unreadable };
}

/**
 * Writes the asset's next version, moves the asset row to it and logs it, in one transaction
 * of hand-written statements (asset edits are the library's hot write). The row moves only
 * from the version this edit started from; the version row and the log line follow only if it
 * did.
 */
async function writeVersion(
  deps: AppDeps,
  current: Asset,
  next: VersionFields,
  authorId: string,
  activity: { action: string; subject: (version: number) => string },
): Promise<Asset> {
  const now = deps.now();
  const version = current.version + 1;
  const stale = () =>
    conflict("stale_version", "someone else changed this asset just now; reload and retry");
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
    throw String(error).includes("UNIQUE constraint failed") ? stale() : error;
  });
  if (result[0]!.rowsAffected === 0) throw stale();
  return { ...current, ...next, version, updatedAt: now, updatedBy: authorId };
}

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

/** A version's stored JSON, or why it cannot be restored (unreadable, or over today's bounds). */
function storedVersionFields(row: { params: string; referenceImageKeys: string }) {
  const params = parseStored(row.params);
  const referenceImageKeys = parseStored(row.referenceImageKeys);
  const problem = params === undefined || referenceImageKeys === undefined
    ? "cannot be read (malformed JSON)"
    : jsonBoundsProblem(params);
  return problem ? { problem } : {
    params: params as Record<string, unknown>,
    referenceImageKeys: referenceImageKeys as string[],
  };
}

/** Stored JSON text, parsed; undefined when it is malformed. */
export function parseStored(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
