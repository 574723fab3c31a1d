/**
 * Reference images of library assets: uploaded by the studio straight to the object store
 * through a presigned PUT (as agents upload takes), then added to the asset by an edit, which
 * makes a new asset version. Keys are `projects/{projectId}/assets/{type}/{assetId}/images/
 * {uploadId}.{ext}`: one folder per asset, shared by its versions (a version lists which images
 * it has; images never change). An asset only ever holds keys of its own folder that the store
 * holds within the size limit, so no edit can point an asset, and through it a job, at another
 * project's objects.
 */
import {
  ASSET_IMAGE_EXT,
  ASSET_IMAGE_MAX_BYTES,
  ASSET_IMAGE_SIZE_MESSAGE,
  type AssetImageType,
} from "../../protocol/assets.ts";
import type { AppDeps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import type { Audience } from "./jobs/takes.ts";

export interface AssetRef {
  projectId: string;
  type: string;
  id: string;
}

const folderOf = (asset: AssetRef) =>
  `projects/${asset.projectId}/assets/${asset.type}/${asset.id}/images/`;

/** Whether `key` names an image in the asset's own folder (of a type the library takes). */
export function isAssetImageKey(asset: AssetRef, key: string): boolean {
  const folder = folderOf(asset);
  return key.startsWith(folder) &&
    /^[0-9a-f-]{36}\.(png|jpg|webp)$/.test(key.slice(folder.length));
}

/** A new key in the asset's folder and where to PUT the image (`contentType` is signed). */
export async function presignAssetImage(
  deps: AppDeps,
  asset: AssetRef,
  contentType: AssetImageType,
) {
  const key = `${folderOf(asset)}${newId()}.${ASSET_IMAGE_EXT[contentType]}`;
  const upload = await deps.storage.presignPut(key, {
    contentType,
    expiresInS: deps.config.UPLOAD_URL_TTL_S,
  });
  return { key, uploadUrl: upload.url, headers: upload.headers, expiresAt: upload.expiresAt };
}

/**
 * Checks the reference image list an edit asks for: keys the asset holds now stay as they are;
 * each new one must be an upload to the asset's folder that is in the store within the size
 * limit. Throws 422 naming `referenceImageKeys.<i>`.
 */
export async function checkImageKeys(
  deps: AppDeps,
  asset: AssetRef & { referenceImageKeys: readonly string[] },
  keys: readonly string[],
): Promise<void> {
  const refuse = (i: number, message: string) =>
    new ApiError(422, "invalid_image", `referenceImageKeys.${i}: ${message}`, [{
      path: `referenceImageKeys.${i}`,
      message,
    }]);
  for (const [i, key] of keys.entries()) {
    if (keys.indexOf(key) !== i) throw refuse(i, "this image is listed twice");
    if (asset.referenceImageKeys.includes(key)) continue;
    if (!isAssetImageKey(asset, key)) {
      throw refuse(i, "not an image uploaded to this asset: upload it with POST …/images first");
    }
    const stored = await deps.storage.head(key);
    if (!stored) throw refuse(i, "the image is not in storage: upload it to its URL first");
    if (stored.bytes > ASSET_IMAGE_MAX_BYTES) throw refuse(i, ASSET_IMAGE_SIZE_MESSAGE);
  }
}

/** Signed URLs of an asset's images, for thumbnails; keys of another folder are left out. */
export async function imageUrls(
  deps: AppDeps,
  asset: AssetRef,
  keys: readonly string[],
  audience: Audience,
): Promise<Array<{ key: string; url: string }>> {
  const expiresInS = audience === "guest"
    ? deps.config.GUEST_DOWNLOAD_URL_TTL_S
    : deps.config.DOWNLOAD_URL_TTL_S;
  return await Promise.all(
    keys.filter((key) => isAssetImageKey(asset, key))
      .map(async (key) => ({ key, url: await deps.storage.presignGet(key, { expiresInS }) })),
  );
}
