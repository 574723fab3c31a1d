/**
 * Adds reference images to a library asset: each file is checked as the edge checks it
 * (protocol/assets.ts: images only, at most 20 MB), uploaded straight to the object store
 * through the URL the edge presigns for it, then the asset is saved once with all of them, so a
 * drop of several files makes one new version. Files refused are named, the rest still land.
 */
import { assetImageProblem } from "../../../protocol/assets.ts";
import type { Asset } from "../api/types.ts";
import { api } from "../services.ts";

export interface ImageAddResult {
  asset: Asset | null;
  /** One line per file that was not added, saying why. */
  refused: string[];
}

export async function addImages(
  projectId: string,
  asset: Asset,
  files: readonly File[],
): Promise<ImageAddResult> {
  const refused: string[] = [];
  const keys: string[] = [];
  for (const file of files) {
    const problem = assetImageProblem(file);
    if (problem) {
      refused.push(problem);
      continue;
    }
    try {
      const upload = await api.assets.imageUpload(projectId, asset.id, {
        contentType: file.type,
        bytes: file.size,
      });
      const put = await fetch(upload.uploadUrl, {
        method: "PUT",
        headers: upload.headers,
        body: file,
      });
      if (!put.ok) throw new Error(`the upload was refused (${put.status})`);
      keys.push(upload.key);
    } catch (error) {
      refused.push(`"${file.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (keys.length === 0) return { asset: null, refused };
  const updated = await api.assets.update(projectId, asset.id, {
    referenceImageKeys: [...asset.referenceImageKeys, ...keys],
    baseVersion: asset.version,
  });
  return { asset: updated, refused };
}

/** The files among pasted or dropped data (each is then checked; text is left alone). */
export function imageFiles(data: DataTransfer | null): File[] {
  return [...(data?.files ?? [])];
}
